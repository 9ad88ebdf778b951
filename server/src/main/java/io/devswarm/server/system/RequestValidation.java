package io.devswarm.server.system;

import io.devswarm.core.model.FieldError;
import io.devswarm.core.model.InvalidSpecException;
import java.util.Comparator;
import java.util.stream.Stream;
import org.springframework.validation.Errors;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

/**
 * Bean Validation's findings on a request, as an {@link InvalidSpecException} naming each field by
 * its JSON path ({@code command}, {@code resources.cpu.cores}) or, for a path variable, by its
 * name: {@link ProblemHandler} answers them as it answers every invalid field. Fields come in
 * their path's order, so the same request gets the same answer.
 *
 * <p>A route that checks who may call it before it reads the body takes the findings as a
 * {@code BindingResult} right after its {@code @Valid} body, and calls {@link #requireValid} where
 * the caller has passed: someone who may not call the route learns nothing from it about their
 * body, and gets 403 or 404 as before.
 */
public final class RequestValidation {
    private static final Comparator<FieldError> BY_FIELD = Comparator.comparing(FieldError::field).thenComparing(FieldError::message);

    private RequestValidation() {}

    /** Refuses the request, naming every invalid field, if the body had any. */
    public static void requireValid(Errors body) {
        if (body.hasErrors()) throw invalid(body);
    }

    static InvalidSpecException invalid(Errors body) {
        return invalid(fields(body));
    }

    /** A route's parameters and body checked together, because a parameter carries a constraint itself. */
    static InvalidSpecException invalid(HandlerMethodValidationException e) {
        return invalid(e.getParameterValidationResults().stream().flatMap(result -> result instanceof ParameterErrors body ? fields(body)
                : result.getResolvableErrors().stream().map(error -> new FieldError(result.getMethodParameter().getParameterName(), error.getDefaultMessage()))));
    }

    private static Stream<FieldError> fields(Errors body) {
        return body.getFieldErrors().stream().map(error -> new FieldError(error.getField(), error.getDefaultMessage()));
    }

    private static InvalidSpecException invalid(Stream<FieldError> errors) {
        return new InvalidSpecException(errors.sorted(BY_FIELD).toList());
    }
}
