package io.devswarm.server.auth;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * A sign-in gives what its way in needs: an API key, or else a username and a password. Which
 * fields are required depends on another field, a rule easier said in code than in field
 * constraints; each missing field is named on its own.
 */
@Documented
@Target(TYPE)
@Retention(RUNTIME)
@Constraint(validatedBy = CompleteCredentials.Check.class)
@interface CompleteCredentials {
    String message() default "is required";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Names each missing field; a sign-in by API key needs nothing else. */
    final class Check implements ConstraintValidator<CompleteCredentials, AuthController.Login> {
        @Override
        public boolean isValid(AuthController.Login login, ConstraintValidatorContext context) {
            if (login == null || login.byKey()) return true;
            context.disableDefaultConstraintViolation();
            boolean complete = true;
            if (login.username() == null || login.username().isBlank()) complete = missing(context, "username", "is required (or give apiKey)");
            if (login.password() == null) complete = missing(context, "password", "is required");
            return complete;
        }

        private static boolean missing(ConstraintValidatorContext context, String field, String message) {
            context.buildConstraintViolationWithTemplate(message).addPropertyNode(field).addConstraintViolation();
            return false;
        }
    }
}
