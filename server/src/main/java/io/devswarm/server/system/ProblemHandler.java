package io.devswarm.server.system;

import io.devswarm.core.access.ForbiddenException;
import io.devswarm.core.model.AlreadyExistsException;
import io.devswarm.core.model.CapabilityMissingException;
import io.devswarm.core.model.ConflictException;
import io.devswarm.core.model.DataGoneException;
import io.devswarm.core.model.FieldError;
import io.devswarm.core.model.InstanceBusyException;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.model.InvalidStateException;
import io.devswarm.core.model.NameTakenException;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.model.ProviderUnavailableException;
import io.devswarm.core.model.StaleWriteException;
import io.devswarm.core.provider.ProviderException;
import java.net.URI;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidNullException;

/**
 * Every error of the API as RFC 9457 problem+json, in one place. Field errors carry an
 * {@code errors} list of {@code {field, message}}; nothing carries a stack trace. Spring MVC's own
 * errors (405, 415, unknown routes...) come out as problem+json through the base class.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final String TYPES = "https://devswarm.dev/problems/";

    /** A problem of one of devswarm's types; also for controllers that answer an error themselves. */
    public static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPES + type));
        p.setTitle(title);
        return p;
    }

    @ExceptionHandler(InvalidSpecException.class)
    ProblemDetail invalid(InvalidSpecException e) {
        ProblemDetail p = problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-field", "Invalid request field", e.getMessage());
        p.setProperty("errors", e.errors());
        return p;
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage());
    }

    /**
     * Every conflict is 409; its type tells which kind, so a client can tell "try again later" from
     * "change the request". The switch covers the sealed {@link ConflictException}: a new kind does not
     * compile until it has a type here.
     */
    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        ConflictKind kind = switch (e) {
            case NameTakenException n -> new ConflictKind("name-taken", "Name already taken");
            case AlreadyExistsException a -> new ConflictKind("already-exists", "Already exists");
            case InstanceBusyException b -> new ConflictKind("instance-busy", "Instance busy with another operation");
            case InvalidStateException i -> new ConflictKind("invalid-state", "Not possible in the current state");
            case StaleWriteException s -> new ConflictKind("stale-write", "Changed by another request");
            case DataGoneException d -> new ConflictKind("data-gone", "Persistent data is gone");
            case ProviderUnavailableException p -> new ConflictKind("provider-unavailable", "Provider unavailable");
            case CapabilityMissingException c -> new ConflictKind("capability-missing", "Not supported by the provider");
        };
        return problem(HttpStatus.CONFLICT, kind.type(), kind.title(), e.getMessage());
    }

    /** A kind of conflict as problem+json names it: the last segment of its type URI, and its title. */
    private record ConflictKind(String type, String title) {}

    @ExceptionHandler(ProviderException.class)
    ProblemDetail provider(ProviderException e) {
        HttpStatus status = switch (e.kind()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case REJECTED -> HttpStatus.UNPROCESSABLE_CONTENT;
            case BUSY -> HttpStatus.CONFLICT;
            case UNAVAILABLE, TIMEOUT -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        return problem(status, "provider-" + e.kind().name().toLowerCase(), "Provider error", e.getMessage());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        Throwable cause = e.getCause();
        while (cause != null && !(cause instanceof DatabindException)) cause = cause.getCause();
        if (!(cause instanceof DatabindException de) || de.getPath().isEmpty()) {
            ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "malformed", "Malformed request", "the request body is missing or is not valid JSON");
            return handleExceptionInternal(e, p, headers, HttpStatus.BAD_REQUEST, request);
        }
        // well-formed JSON whose value no field takes (RequestJson): invalid, like a value out of range
        String refusal = de instanceof InvalidNullException ? "must not be null" : de instanceof RequestJson.NulInText ? RequestJson.NulInText.MESSAGE : null;
        ProblemDetail p = refusal != null ? fieldProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request field", path(de), refusal)
                : fieldProblem(HttpStatus.BAD_REQUEST, "Malformed request field", path(de), "has the wrong type or format");
        return handleExceptionInternal(e, p, headers, HttpStatusCode.valueOf(p.getStatus()), request);
    }

    private static ProblemDetail fieldProblem(HttpStatus status, String title, String field, String message) {
        ProblemDetail p = problem(status, "invalid-field", title, field + ": " + message);
        p.setProperty("errors", List.of(new FieldError(field, message)));
        return p;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail badParameter(MethodArgumentTypeMismatchException e) {
        return fieldProblem(HttpStatus.BAD_REQUEST, "Invalid query parameter", e.getName(), "cannot be '" + e.getValue() + "'");
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e, HttpHeaders headers,
                                                                          HttpStatusCode status, WebRequest request) {
        return handleExceptionInternal(e, fieldProblem(HttpStatus.BAD_REQUEST, "Missing query parameter", e.getParameterName(), "is required"), headers,
                HttpStatus.BAD_REQUEST, request);
    }

    /** A {@code @Valid} body that broke its constraints: answered as the core's own invalid fields are. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        return handleExceptionInternal(e, invalid(RequestValidation.invalid(e.getBindingResult())), headers, HttpStatus.UNPROCESSABLE_CONTENT, request);
    }

    /** A route whose parameters carry constraints themselves, such as a path variable's pattern: the same answer. */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        return handleExceptionInternal(e, invalid(RequestValidation.invalid(e)), headers, HttpStatus.UNPROCESSABLE_CONTENT, request);
    }

    /** Tomcat's, for a query string it cannot decode ("%ZZ"); its message quotes the raw parameter. */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail undecodableParameter(InvalidParameterException e) {
        return problem(HttpStatus.BAD_REQUEST, "malformed", "Malformed request", "the query string is not valid percent-encoded UTF-8");
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail illegal(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    }

    @ExceptionHandler(InterruptedException.class)
    ProblemDetail interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "Server is shutting down", "the server stopped while waiting");
    }

    private static String path(DatabindException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
