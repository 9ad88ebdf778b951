package io.devswarm.server.system;

import static io.devswarm.server.auth.SliceSecurity.as;
import static io.devswarm.server.system.Problems.invalid;
import static io.devswarm.server.system.Problems.problem;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.devswarm.core.access.ForbiddenException;
import io.devswarm.core.access.Role;
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
import io.devswarm.core.provider.ProviderException.Kind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@WebSlice(ProblemHandlerTest.Failing.class)
@Import(ProblemHandlerTest.Failing.class) // a test's own class is never found by scanning
@DisplayName("problem+json: every error of the API answered in one shape")
class ProblemHandlerTest {
    /**
     * Every kind of conflict by its problem type, including those no API call brings about on
     * demand (a stale write, an unhealthy provider).
     */
    private static final Map<String, ConflictException> CONFLICTS = Map.of(
            "name-taken", new NameTakenException("dev-1"),
            "already-exists", new AlreadyExistsException("user 'ana' already exists"),
            "instance-busy", new InstanceBusyException("instance 'dev-1' is busy: stop operation op-1 is in progress"),
            "invalid-state", new InvalidStateException("instance 'dev-1' is stopped; it must be running to exec"),
            "stale-write", new StaleWriteException("instance 'dev-1' was changed by another request; reload and try again"),
            "data-gone", new DataGoneException("the data of instance 'dev-1' in volume(s) workspace is gone"),
            "provider-unavailable", new ProviderUnavailableException("provider 'docker' is unavailable: engine unreachable"),
            "capability-missing", new CapabilityMissingException("provider docker cannot snapshot volumes"));

    /** What {@link Failing} throws, by the name in its path: the conflicts as {@code conflict-<type>}. */
    private static final Map<String, Exception> THROWN = thrown(
            entry("not-found", new NotFoundException("instance", "web")),
            entry("forbidden", new ForbiddenException("your roles [viewer] may only read instances")),
            entry("invalid", new InvalidSpecException(List.of(new FieldError("name", "is required"), new FieldError("image", "is required")))),
            entry("provider-not-found", new ProviderException(Kind.NOT_FOUND, "no container devswarm-web")),
            entry("provider-rejected", new ProviderException(Kind.REJECTED, "image devswarm/none not found")),
            entry("provider-busy", new ProviderException(Kind.BUSY, "the machine's lease is held")),
            entry("provider-unavailable", new ProviderException(Kind.UNAVAILABLE, "the engine does not answer")),
            entry("provider-timeout", new ProviderException(Kind.TIMEOUT, "no answer within 30 s")),
            entry("illegal", new IllegalArgumentException("command is empty")),
            entry("interrupted", new InterruptedException()));

    @SafeVarargs
    private static Map<String, Exception> thrown(Map.Entry<String, Exception>... others) {
        Map<String, Exception> all = new HashMap<>(Map.ofEntries(others));
        CONFLICTS.forEach((type, conflict) -> all.put("conflict-" + type, conflict));
        return Map.copyOf(all);
    }

    /** Routes that fail as asked, and take bodies and parameters with constraints. */
    @RestController
    @RequestMapping("/test/problems")
    static class Failing {
        record Sample(@NotBlank(message = "is required") String name, @Min(value = 1, message = "must be at least {value}") Integer count, List<String> tags) {}

        @GetMapping("/thrown/{name}")
        void fail(@PathVariable String name) throws Exception {
            throw THROWN.get(name);
        }

        @PostMapping("/samples")
        Sample sample(@Valid @RequestBody Sample sample) {
            return sample;
        }

        @GetMapping("/names/{name}")
        String name(@PathVariable @Pattern(regexp = "[a-z]+", message = "must be lowercase letters") String name) {
            return name;
        }

        @GetMapping("/pages")
        int page(@RequestParam int limit) {
            return limit;
        }
    }

    @Autowired
    MockMvcTester mvc;

    private MvcTestResult get(String path) {
        return mvc.get().uri(path).with(as("ada", Role.ADMIN)).exchange();
    }

    private MvcTestResult post(String json) {
        return mvc.post().uri("/test/problems/samples").with(as("ada", Role.ADMIN)).contentType(MediaType.APPLICATION_JSON).content(json).exchange();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                arguments("not-found", 404, "not-found", "instance 'web' not found"),
                arguments("forbidden", 403, "forbidden", "your roles [viewer] may only read instances"),
                arguments("provider-not-found", 404, "provider-not_found", "no container devswarm-web"),
                arguments("provider-rejected", 422, "provider-rejected", "image devswarm/none not found"),
                arguments("provider-busy", 409, "provider-busy", "the machine's lease is held"),
                arguments("provider-unavailable", 503, "provider-unavailable", "the engine does not answer"),
                arguments("provider-timeout", 503, "provider-timeout", "no answer within 30 s"),
                arguments("illegal", 400, "invalid-request", "command is empty"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("failures")
    @DisplayName("each failure of the core and the providers gets its status and type, and its message as the detail")
    void failures(String name, int status, String type, String detail) {
        assertThat(problem(get("/test/problems/thrown/" + name), status, type).path("detail").asString()).isEqualTo(detail);
    }

    static Stream<String> conflictTypes() {
        return CONFLICTS.keySet().stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflictTypes")
    @DisplayName("a conflict is a 409 of its kind's type, with its message as the detail")
    void conflict(String type) {
        assertThat(problem(get("/test/problems/thrown/conflict-" + type), 409, type).path("detail").asString())
                .isEqualTo(CONFLICTS.get(type).getMessage());
    }

    @Test
    @DisplayName("every kind of conflict is covered above, each with a title of its own")
    void everyConflictKindIsDistinct() {
        assertThat(CONFLICTS.values()).extracting(Object::getClass).containsExactlyInAnyOrder(ConflictException.class.getPermittedSubclasses());
        ProblemHandler handler = new ProblemHandler();
        assertThat(CONFLICTS.values().stream().map(handler::conflict).toList()).extracting(ProblemDetail::getTitle).doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("the core's invalid input is 422 naming each field, in the core's order")
    void invalidSpec() {
        invalid(get("/test/problems/thrown/invalid"), "name: is required", "image: is required");
    }

    @Test
    @DisplayName("a body breaking its constraints is answered as the core's invalid input is, its fields in order")
    void invalidBody() {
        invalid(post("{\"name\":\" \",\"count\":0}"), "count: must be at least 1", "name: is required");
        assertThat(post("{\"name\":\"x\",\"count\":1}")).hasStatusOk();
    }

    @Test
    @DisplayName("a path variable breaking its constraint is answered alike, named as in the path")
    void invalidPathVariable() {
        invalid(get("/test/problems/names/Ada"), "name: must be lowercase letters");
        assertThat(get("/test/problems/names/ada")).hasStatusOk();
    }

    @Test
    @DisplayName("a value no field takes is 422 at its JSON path: null in a list, NUL in text")
    void refusedValues() {
        invalid(post("{\"name\":\"x\",\"tags\":[\"a\",null]}"), "tags[1]: must not be null");
        invalid(post("{\"name\":\"a\\u0000b\"}"), "name: must not contain NUL (U+0000)");
    }

    @Test
    @DisplayName("a body that is no JSON is 400 malformed; a value of the wrong type is 400 naming its field")
    void malformed() {
        assertThat(problem(post("{nope"), 400, "malformed").path("detail").asString()).isEqualTo("the request body is missing or is not valid JSON");
        assertThat(problem(post("{\"name\":\"x\",\"count\":\"many\"}"), 400, "invalid-field").path("errors").get(0).path("field").asString()).isEqualTo("count");
    }

    @Test
    @DisplayName("a query parameter of the wrong type or missing is 400 naming it; one holding NUL is 422")
    void queryParameters() {
        assertThat(problem(get("/test/problems/pages?limit=x"), 400, "invalid-field").path("title").asString()).isEqualTo("Invalid query parameter");
        assertThat(problem(get("/test/problems/pages"), 400, "invalid-field").path("title").asString()).isEqualTo("Missing query parameter");
        invalid(mvc.get().uri("/test/problems/pages").param("limit", "a\u0000b").with(as("ada", Role.ADMIN)).exchange(), "limit: must not contain NUL (U+0000)");
    }

    @Test
    @DisplayName("a body of another content type is 415, as problem+json")
    void unsupportedType() {
        MvcTestResult answer = mvc.post().uri("/test/problems/samples").with(as("ada", Role.ADMIN)).contentType(MediaType.TEXT_PLAIN).content("x").exchange();
        assertThat(answer).hasStatus(415).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    @DisplayName("a wait cut short by shutdown is 503, and the thread stays interrupted")
    void interrupted() {
        problem(get("/test/problems/thrown/interrupted"), 503, "shutting-down");
        assertThat(Thread.interrupted()).as("interrupt status kept (and cleared here)").isTrue();
    }

    @Test
    @DisplayName("a call without a token is 401 from the filter chain, as problem+json")
    void unauthenticated() {
        MvcTestResult answer = mvc.get().uri("/test/problems/names/ada").exchange();
        problem(answer, 401, "unauthorized");
        assertThat(answer).headers().hasSingleValue(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"devswarm\"");
    }
}
