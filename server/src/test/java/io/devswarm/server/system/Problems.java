package io.devswarm.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Assertions on the API's problem+json answers, as a client reads them. */
public final class Problems {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {}

    /** Asserts a problem+json answer of this status and type ({@code "not-found"}, {@code "invalid-field"}...), and returns its body. */
    public static JsonNode problem(MvcTestResult answer, int status, String type) {
        assertThat(answer).hasStatus(status).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode body = JSON.readTree(answer.getResponse().getContentAsByteArray());
        assertThat(body.path("type").asString()).isEqualTo("https://devswarm.dev/problems/" + type);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        return body;
    }

    /**
     * Asserts the answer every invalid field gets, the core's own or Bean Validation's: 422,
     * exactly these errors as {@code "field: message"} in this order, and a detail that joins them.
     */
    public static void invalid(MvcTestResult answer, String... errors) {
        JsonNode body = problem(answer, 422, "invalid-field");
        assertThat(body.path("title").asString()).isEqualTo("Invalid request field");
        assertThat(body.path("errors").valueStream().map(e -> e.path("field").asString() + ": " + e.path("message").asString()).toList())
                .containsExactly(errors);
        assertThat(body.path("detail").asString()).isEqualTo(String.join("; ", errors));
    }
}
