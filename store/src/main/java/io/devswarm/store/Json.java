package io.devswarm.store;

import io.devswarm.core.operation.OperationPayload;
import io.devswarm.core.operation.OperationType;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** JSON columns: specs, network info, payloads and results are stored as documents. */
final class Json {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private final JsonMapper mapper = JsonMapper.builder().build();

    String write(Object value) {
        return value == null ? null : mapper.writeValueAsString(value);
    }

    <T> T read(String json, Class<T> type) {
        return json == null ? null : mapper.readValue(json, type);
    }

    Map<String, Object> readMap(String json) {
        return json == null ? Map.of() : mapper.readValue(json, MAP);
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
}
