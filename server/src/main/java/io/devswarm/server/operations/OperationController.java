package io.devswarm.server.operations;

import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.store.Page;
import io.devswarm.core.store.Store;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.ForbiddenException;
import io.devswarm.core.model.Instance;
import io.devswarm.core.operation.Operation;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operation queue as seen from outside: seed 004's tasks. */
@RestController
@RequestMapping("/api/v1/operations")
@Tag(name = "operations")
class OperationController {
    private final Store store;
    private final SwarmController controller;
    private final OperationWaiter waiter;

    OperationController(Store store, SwarmController controller, OperationWaiter waiter) {
        this.store = store;
        this.controller = controller;
        this.waiter = waiter;
    }

    record OperationPage(List<OperationView> items, long total, int offset, int limit) {}

    @GetMapping
    OperationPage list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) String instance, @RequestParam(required = false) String status,
                       @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Page.requireValid(offset, limit, 500);
        OperationStatus s = null;
        if (status != null) {
            try {
                s = OperationStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException("status", "must be one of pending, processing, completed, failed");
            }
        }
        requireDetails(caller);
        String instanceId = instance == null ? caller.instanceScope() : AccessPolicy.visible(caller, controller.find(instance), instance).id();
        String ownerId = AccessPolicy.seesAllInstances(caller) || caller.instanceScope() != null ? null : caller.userId();
        var page = store.operations().list(instanceId, ownerId, s, offset, limit);
        return new OperationPage(page.items().stream().map(OperationView::of).toList(), page.total(), page.offset(), page.limit());
    }

    @GetMapping("/{id}")
    OperationView get(@AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestParam(defaultValue = "false") boolean wait,
                      @RequestParam(required = false) String timeout) throws InterruptedException {
        requireDetails(caller);
        Operation op = store.operations().find(id).orElseThrow(() -> new NotFoundException("operation", id));
        if (!AccessPolicy.seesAllInstances(caller)) {
            // others' operations, and those of instances gone since, do not exist for this caller
            Instance instance = op.instanceId() == null ? null : store.instances().findById(op.instanceId()).orElse(null);
            if (instance == null || !AccessPolicy.canSee(caller, instance)) throw new NotFoundException("operation", id);
        }
        if (wait) return OperationView.of(waiter.await(id, Timeouts.parse(timeout, Duration.ofMinutes(2))).operation());
        return OperationView.of(op);
    }

    private static void requireDetails(Caller caller) {
        if (!AccessPolicy.readsDetails(caller)) throw new ForbiddenException("your roles allow instance status only");
    }
}
