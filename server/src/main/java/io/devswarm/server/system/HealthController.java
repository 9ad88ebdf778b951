package io.devswarm.server.system;

import io.devswarm.core.provider.ProviderRegistry;
import io.devswarm.core.store.Store;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** GET /api/v1/health: the store answers, and how each provider is doing. 503 when the store does not. */
@RestController
@Tag(name = "system")
class HealthController {
    private final Store store;
    private final ProviderRegistry providers;

    HealthController(Store store, ProviderRegistry providers) {
        this.store = store;
        this.providers = providers;
    }

    @GetMapping("/api/v1/health")
    ResponseEntity<Map<String, Object>> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean storeOk;
        try {
            store.instances().countByStatus();
            storeOk = true;
        } catch (RuntimeException e) {
            storeOk = false;
        }
        body.put("status", storeOk ? "ok" : "store unavailable");
        Map<String, String> p = new LinkedHashMap<>();
        providers.descriptors().forEach(d -> p.put(d.name(), d.available() ? providers.health(d.name()).status().name().toLowerCase() : "unavailable"));
        body.put("providers", p);
        return ResponseEntity.status(storeOk ? 200 : 503).body(body);
    }
}
