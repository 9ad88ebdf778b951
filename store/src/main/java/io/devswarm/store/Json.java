package io.devswarm.store;

import io.devswarm.core.operation.OperationPayload;
import io.devswarm.core.operation.OperationResult;
import io.devswarm.core.operation.OperationType;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** JSON columns: specs, network info, payloads and results are stored as documents. */
final class Json {
    private final JsonMapper mapper = JsonMapper.builder().build();

    String write(Object value) {
        return value == null ? null : mapper.writeValueAsString(value);
    }

    <T> T read(String json, Class<T> type) {
        return json == null ? null : mapper.readValue(json, type);
    }

    <T> T read(String json, TypeReference<T> type) {
        return json == null ? null : mapper.readValue(json, type);
    }

    OperationPayload readPayload(OperationType type, String json) {
        if (json == null) return OperationPayload.NONE;
        return switch (type) {
            case DELETE -> read(json, OperationPayload.Delete.class);
            case EXEC -> read(json, OperationPayload.Exec.class);
            case SCALE -> read(json, OperationPayload.Scale.class);
            case STOP -> read(json, OperationPayload.Stop.class);
            case START -> read(json, OperationPayload.Start.class);
            case RECREATE -> read(json, OperationPayload.Recreate.class);
            case CREATE, RESTART -> OperationPayload.NONE;
        };
    }

    /**
     * The result of an operation of {@code type}, by which record its JSON is. Earlier versions
     * stored {@code {}} for an operation without a result; that, like SQL NULL, is none.
     */
    OperationResult readResult(OperationType type, String json) {
        if (json == null) return null;
        JsonNode tree = mapper.readTree(json);
        if (tree.isEmpty()) return null;
        Class<? extends OperationResult> record = switch (type) {
            case CREATE, START, STOP, RESTART -> OperationResult.Settled.class;
            case RECREATE -> OperationResult.Recreated.class;
            case DELETE -> OperationResult.Deleted.class;
            case EXEC -> OperationResult.Executed.class;
            case SCALE -> OperationResult.Scaled.class;
        };
        return mapper.treeToValue(tree, record);
    }
}
