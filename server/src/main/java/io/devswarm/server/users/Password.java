package io.devswarm.server.users;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A new password: long enough to resist guessing, short enough that hashing it costs what it should. Absent (null) is valid. */
@Documented
@Target({FIELD, PARAMETER})
@Retention(RUNTIME)
@Constraint(validatedBy = {})
@Size(min = Password.MIN, message = Password.TOO_SHORT)
@Size(max = 1024, message = "must be at most {max} characters")
@interface Password {
    int MIN = 12;
    String TOO_SHORT = "must be at least " + MIN + " characters";

    String message() default TOO_SHORT;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
