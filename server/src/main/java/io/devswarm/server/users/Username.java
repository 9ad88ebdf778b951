package io.devswarm.server.users;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A username: what names a user in paths, tokens, instance owners and the audit log, so one rule
 * for all of them. Absent (null) is valid, as for every constraint; {@code @NotNull} says where
 * a name is required.
 */
@Documented
@Target({FIELD, PARAMETER})
@Retention(RUNTIME)
@Constraint(validatedBy = {})
@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
@ReportAsSingleViolation
public @interface Username {
    String MESSAGE = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
