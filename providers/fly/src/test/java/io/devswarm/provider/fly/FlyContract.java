package io.devswarm.provider.fly;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fly's published Machines API document (src/test/resources/fly-machines-openapi.yaml, a copy of
 * shared/contracts, from superfly/fly-openapi-sdk, December 2023) as a validator of requests and
 * answers. Three things it predates or gets wrong are added here by hand from Fly's documentation,
 * and only these: {@code POST .../machines/{id}/suspend} and the state "suspended" it leads to,
 * which wait accepts; the wait endpoint's 408 ("not in that state yet"); the exec answer, which is the object {exit_code, stdout, stderr}, not a string.
 * Error answers the document does not list per path are checked against its ErrorResponse shape.
 */
final class FlyContract {
    private final OpenApiInteractionValidator validator;
    private final List<String> violations = new ArrayList<>();
    private io.swagger.v3.oas.models.media.Schema<?> errorSchema;

    @SuppressWarnings("unchecked")
    FlyContract() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        OpenAPI api = new OpenAPIV3Parser().read(Objects.requireNonNull(getClass().getResource("/fly-machines-openapi.yaml")).toString(), null, options);
        PathItem start = api.getPaths().get("/apps/{app_name}/machines/{machine_id}/start");
        Operation suspend = new Operation().operationId("Machines_suspend").parameters(start.getPost().getParameters())
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("OK").content(new Content())));
        api.getPaths().addPathItem("/apps/{app_name}/machines/{machine_id}/suspend", new PathItem().post(suspend));
        Operation wait = api.getPaths().get("/apps/{app_name}/machines/{machine_id}/wait").getGet();
        wait.getResponses().addApiResponse("408", new ApiResponse().description("the machine did not reach the state within the timeout").content(new Content()));
        wait.getParameters().stream().filter(p -> p.getName().equals("state")).forEach(p -> ((io.swagger.v3.oas.models.media.Schema<String>) p.getSchema())
                .addEnumItemObject("suspended"));
        ObjectSchema exec = new ObjectSchema();
        exec.addProperty("exit_code", new IntegerSchema());
        exec.addProperty("stdout", new StringSchema());
        exec.addProperty("stderr", new StringSchema());
        api.getPaths().get("/apps/{app_name}/machines/{machine_id}/exec").getPost().getResponses()
                .addApiResponse("200", new ApiResponse().description("OK").content(new Content().addMediaType("application/json", new MediaType().schema(exec))));
        this.errorSchema = api.getComponents().getSchemas().get("ErrorResponse");
        this.validator = OpenApiInteractionValidator.createFor(api).withBasePathOverride("/v1").build();
    }

    /** Checks a request and, when the document describes it, the answer; what does not conform is kept for {@link #violations()}. */
    synchronized void check(String method, String path, Map<String, List<String>> query, String body, int status, String responseBody) {
        SimpleRequest.Builder req = new SimpleRequest.Builder(method, path);
        query.forEach((k, v) -> req.withQueryParam(k, v));
        if (body != null && !body.isEmpty()) req.withBody(body).withContentType("application/json");
        Request request = req.build();
        ValidationReport report = validator.validateRequest(request);
        SimpleResponse.Builder res = SimpleResponse.Builder.status(status);
        if (responseBody != null && !responseBody.isEmpty()) res.withBody(responseBody).withContentType("application/json");
        report = report.merge(validator.validateResponse(path, request.getMethod(), res.build()));
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() != ValidationReport.Level.ERROR) continue;
            // the document lists almost no error statuses; Fly answers any call with 401/404/408/409/412/429/5xx and an
            // ErrorResponse body ({"error": ...}), which is what is checked for those instead
            if (status >= 400 && m.getKey().equals("validation.response.status.unknown") && isErrorResponse(responseBody)) continue;
            violations.add(method + " " + path + " -> " + status + ": " + m.getKey() + " " + m.getMessage());
        }
    }

    private boolean isErrorResponse(String body) {
        if (body == null || body.isBlank()) return true; // 408 from wait has no body
        var node = io.devswarm.provider.fly.FlyApi.JSON.readTree(body);
        return node.isObject() && node.path("error").isString() && errorSchema.getProperties().keySet().containsAll(node.propertyNames());
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }
}
