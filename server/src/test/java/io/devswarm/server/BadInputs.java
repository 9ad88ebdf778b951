package io.devswarm.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad requests for every operation of an OpenAPI document: each request is a valid one (built from
 * {@code bases}) with exactly one thing made bad, a path or query parameter, one value deep in the
 * body, the whole body, its content type, the token or the method. Values are chosen so that
 * none is valid by accident where it would change something ("" and "1" are never sent for a
 * parameter: Spring reads them as absent and true). The same seed gives the same requests.
 */
final class BadInputs {
    /** One request to send; {@code token} null means the caller's own. */
    record Probe(String label, String method, String path, String contentType, String body, String token) {
        boolean mutating() {
            return !method.equals("GET");
        }

        @Override
        public String toString() {
            String shown = body == null ? "" : " " + (body.length() > 300 ? body.substring(0, 300) + "…(" + body.length() + " chars)" : body);
            return label + ": " + method + " " + (path.length() > 300 ? path.substring(0, 300) + "…" : path) + (contentType == null ? "" : " [" + contentType + "]")
                    + shown;
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final List<String> CONTENT_TYPES = List.of("multipart/form-data", "multipart/form-data; boundary=x", "text/plain", "application/xml",
            "application/x-www-form-urlencoded", "application/json; charset=bogus", "bogus", "application/octet-stream");
    private static final List<String> WHOLE_BODIES = List.of("null", "[]", "{", "\"x\"", "42", "{\"a\":\"\u0000\"}", "{\"a\":1}{", "[".repeat(2000) + "]".repeat(2000));

    private final JsonNode openapi;
    private final Random random;
    private final Function<String, String> pathValue;
    private final Map<String, String> bases;
    private final List<String> badTokens;
    private final List<Probe> probes = new ArrayList<>();

    /**
     * @param pathValue the valid value of a path parameter, given "{path} {name}"
     * @param bases     a valid body per schema name (the component's name)
     * @param badTokens tokens that must be refused
     */
    BadInputs(JsonNode openapi, long seed, Function<String, String> pathValue, Map<String, String> bases, List<String> badTokens) {
        this.openapi = openapi;
        this.random = new Random(seed);
        this.pathValue = pathValue;
        this.bases = bases;
        this.badTokens = badTokens;
    }

    List<Probe> probes() {
        List<Map.Entry<String, JsonNode>> paths = new ArrayList<>(openapi.path("paths").properties());
        paths.sort(Map.Entry.comparingByKey());
        for (var path : paths) {
            Set<String> defined = new java.util.HashSet<>();
            List<String> methods = new ArrayList<>(path.getValue().propertyNames());
            methods.sort(Comparator.naturalOrder());
            for (String method : methods) {
                defined.add(method.toUpperCase());
                operation(path.getKey(), method.toUpperCase(), path.getValue().path(method));
            }
            for (String wrong : METHODS) {
                if (!defined.contains(wrong)) probes.add(new Probe("method not allowed", wrong, concrete(path.getKey(), null, null), null, null, null));
            }
        }
        for (String unknown : List.of("/api/v1/nothing-here", "/api/v1/instances/fuzz-target/nothing", "/api/v2/instances", "/nothing", "/api/v1/%2e%2e/health")) {
            probes.add(new Probe("unknown path", "GET", unknown, null, null, null));
        }
        return probes;
    }

    private void operation(String template, String method, JsonNode op) {
        List<JsonNode> parameters = new ArrayList<>();
        op.path("parameters").forEach(parameters::add);
        JsonNode bodySchema = op.path("requestBody").path("content").path("application/json").path("schema");
        String base = bodySchema.isMissingNode() ? null : bases.getOrDefault(schemaName(bodySchema), "{}");
        String contentType = base == null ? null : "application/json";
        String validPath = concrete(template, null, null);
        for (JsonNode p : parameters) {
            String name = p.path("name").asString();
            boolean inPath = p.path("in").asString().equals("path");
            for (String bad : inPath ? badPathValues() : badQueryValues(p.path("schema").path("type").asString())) {
                String path = inPath ? concrete(template, name, bad) : validPath + "?" + name + "=" + bad;
                probes.add(new Probe((inPath ? "path " : "query ") + name, method, path, contentType, base, null));
            }
        }
        if (base != null) {
            ObjectNode valid = (ObjectNode) ApiClient.JSON.readTree(base);
            for (Slot slot : slots(resolve(bodySchema), List.of(), 0)) {
                for (JsonNode bad : badValues(slot.schema())) {
                    probes.add(new Probe("body " + String.join(".", slot.path()), method, validPath, contentType, ApiClient.JSON.writeValueAsString(with(valid, slot.path(), bad)), null));
                }
            }
            for (String whole : WHOLE_BODIES) probes.add(new Probe("whole body", method, validPath, contentType, whole, null));
            for (String type : CONTENT_TYPES) probes.add(new Probe("content type", method, validPath, type, type.startsWith("multipart") ? "--x--" : base, null));
        }
        for (String token : badTokens) probes.add(new Probe("bad token", method, validPath, contentType, base, token));
    }

    /** One value in the body: its path (property names, "0" for a list's first item, "K" for a map's key) and its schema. */
    private record Slot(List<String> path, JsonNode schema) {}

    private List<Slot> slots(JsonNode schema, List<String> at, int depth) {
        List<Slot> slots = new ArrayList<>();
        if (!at.isEmpty()) slots.add(new Slot(at, schema));
        if (depth > 4) return slots;
        for (var property : schema.path("properties").properties()) {
            slots.addAll(slots(resolve(property.getValue()), append(at, property.getKey()), depth + 1));
        }
        if (schema.has("items")) slots.addAll(slots(resolve(schema.path("items")), append(at, "0"), depth + 1));
        if (schema.path("additionalProperties").isObject()) slots.addAll(slots(resolve(schema.path("additionalProperties")), append(at, "K"), depth + 1));
        return slots;
    }

    private List<JsonNode> badValues(JsonNode schema) {
        List<JsonNode> values = new ArrayList<>();
        values.add(NODES.nullNode());
        String type = schema.path("type").asString();
        switch (type) {
            case "string" -> {
                values.add(NODES.stringNode("\u0000"));
                values.add(NODES.stringNode("a\u0000b"));
                values.add(NODES.stringNode("x".repeat(256 + random.nextInt(200))));
                values.add(NODES.stringNode("y".repeat(4_000 + random.nextInt(70_000))));
                values.add(NODES.stringNode("\uD83D\uDCA5".repeat(1 + random.nextInt(300))));
                values.add(NODES.stringNode("\uD800"));
                values.add(NODES.objectNode());
                values.add(NODES.arrayNode().add(1));
            }
            case "integer" -> {
                values.add(NODES.stringNode("x"));
                values.add(NODES.numberNode(1.5));
                values.add(NODES.numberNode(-1 - random.nextInt(1000)));
                values.add(NODES.numberNode(2_147_483_648L));
                values.add(NODES.numberNode(-2_147_483_649L));
                values.add(NODES.numberNode(new java.math.BigInteger("9".repeat(40))));
                values.add(NODES.stringNode("NaN"));
                values.add(NODES.objectNode());
            }
            case "number" -> {
                values.add(NODES.stringNode("NaN"));
                values.add(NODES.stringNode("Infinity"));
                values.add(NODES.stringNode("-Infinity"));
                values.add(NODES.numberNode(-random.nextDouble() - 0.001));
                values.add(NODES.numberNode(1e308));
                values.add(NODES.numberNode(new java.math.BigDecimal("1e400")));
                values.add(NODES.stringNode("lots"));
                values.add(NODES.arrayNode());
            }
            case "boolean" -> {
                values.add(NODES.stringNode("maybe"));
                values.add(NODES.numberNode(2));
                values.add(NODES.objectNode());
            }
            case "array" -> {
                values.add(NODES.stringNode("x"));
                values.add(NODES.objectNode());
                values.add(NODES.arrayNode().addNull());
                values.add(NODES.arrayNode().add("ok").addNull());
                values.add(NODES.arrayNode().add(NODES.objectNode()));
                ArrayNode many = NODES.arrayNode();
                for (int i = 0; i < 2_000 + random.nextInt(3_000); i++) many.add(-i);
                values.add(many);
            }
            default -> { // an object: a record, or a map (additionalProperties)
                values.add(NODES.stringNode("x"));
                values.add(NODES.arrayNode());
                values.add(NODES.numberNode(5));
                if (schema.path("additionalProperties").isObject()) {
                    values.add(NODES.objectNode().putNull("K"));
                    values.add(NODES.objectNode().put("K\u0000", "v"));
                    values.add(NODES.objectNode().put("K", "\u0000"));
                    values.add(NODES.objectNode().put("", "v"));
                    values.add(NODES.objectNode().set("K", NODES.objectNode()));
                    values.add(NODES.objectNode().put("k".repeat(300), "v"));
                }
            }
        }
        return values;
    }

    /** Never "" or "1": Spring reads those as absent and as true, and the request would be a good one. */
    private List<String> badQueryValues(String type) {
        List<String> values = new ArrayList<>(List.of("a%00b", "%00", enc("x".repeat(256 + random.nextInt(200))), enc("y".repeat(2_000 + random.nextInt(4_000))),
                enc("\uD83D\uDCA5"), "%C0%AF"));
        switch (type) {
            case "boolean" -> values.addAll(List.of("maybe", "2", "-1"));
            case "integer" -> values.addAll(List.of("-1", "-" + (1 + random.nextInt(1_000_000)), "1.5", "x", "99999999999999999999", "-2147483649", "NaN"));
            default -> values.addAll(List.of("bogus", "-5s", "PT-1S", "99999999999m"));
        }
        return values;
    }

    private List<String> badPathValues() {
        return List.of("a%00b", enc("x".repeat(256 + random.nextInt(200))), enc("z".repeat(6_000 + random.nextInt(4_000))), "a%2Fb", "a%5Cb", "%2e%2e", "..",
                enc("\uD83D\uDCA5 \u00e9"), "a;b", "%C0%AF", "-" + random.nextInt(1000));
    }

    private String concrete(String template, String badName, String badValue) {
        String path = template;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(template);
        while (m.find()) {
            String name = m.group(1);
            String value = name.equals(badName) ? badValue : enc(pathValue.apply(template + " " + name));
            path = path.replace("{" + name + "}", value);
        }
        return path;
    }

    private JsonNode resolve(JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        return ref.isEmpty() ? schema : openapi.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
    }

    private static String schemaName(JsonNode schema) {
        String ref = schema.path("$ref").asString("");
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    /** A copy of {@code body} with {@code value} at {@code path}, making (or keeping) the objects and lists on the way. */
    private static ObjectNode with(ObjectNode body, List<String> path, JsonNode value) {
        ObjectNode copy = body.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < path.size(); i++) {
            JsonNode child = value;
            if (i < path.size() - 1) {
                boolean list = path.get(i + 1).equals("0");
                JsonNode existing = parent instanceof ArrayNode a ? (a.isEmpty() ? null : a.get(0)) : parent.get(path.get(i));
                child = existing != null && (list ? existing.isArray() : existing.isObject()) ? existing : list ? NODES.arrayNode() : NODES.objectNode();
            }
            if (parent instanceof ArrayNode a) {
                if (a.isEmpty()) a.add(child);
                else a.set(0, child);
            } else {
                ((ObjectNode) parent).set(path.get(i), child);
            }
            parent = child;
        }
        return copy;
    }

    private static List<String> append(List<String> path, String step) {
        List<String> longer = new ArrayList<>(path);
        longer.add(step);
        return List.copyOf(longer);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
