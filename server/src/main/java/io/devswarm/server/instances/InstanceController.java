package io.devswarm.server.instances;

import io.devswarm.core.access.AccessPolicy;
import io.devswarm.core.access.Caller;
import io.devswarm.core.access.ForbiddenException;
import io.devswarm.core.access.Owners;
import io.devswarm.core.controller.InstanceUpdate;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.operation.Execution;
import io.devswarm.core.operation.Priority;
import io.devswarm.core.provider.ExecRequest;
import io.devswarm.core.store.InstanceQuery;
import io.devswarm.core.store.Page;
import io.devswarm.core.store.Store;
import io.devswarm.server.operations.OperationResponses;
import io.devswarm.server.operations.OperationResponses.AcceptedView;
import io.devswarm.server.operations.Timeouts;
import io.devswarm.server.audit.AuditFilter;
import io.devswarm.server.system.RequestValidation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Instances: seed 001 Appendix B plus seed 004's exec and executions. {id} is an id or a name. */
@RestController
@RequestMapping("/api/v1/instances")
@Tag(name = "instances")
class InstanceController {
    private static final Duration DEFAULT_WAIT = Duration.ofMinutes(2);

    private final SwarmController controller;
    private final OperationResponses responses;
    private final Store store;
    private final InstanceViews views;

    InstanceController(SwarmController controller, OperationResponses responses, Store store, InstanceViews views) {
        this.controller = controller;
        this.responses = responses;
        this.store = store;
        this.views = views;
    }

    record PageView<T>(List<T> items, long total, int offset, int limit) {
        static <T> PageView<T> of(Page<T> page) {
            return new PageView<>(page.items(), page.total(), page.offset(), page.limit());
        }
    }

    @PostMapping
    @Operation(summary = "Create an instance (202 with the create operation; wait=true blocks until it ends)")
    ResponseEntity<AcceptedView> create(@AuthenticationPrincipal Caller caller, @Valid @RequestBody InstanceRequests.CreateInstance body, BindingResult invalid,
                                        @RequestParam(defaultValue = "false") boolean wait, @RequestParam(required = false) String timeout, HttpServletRequest http)
            throws InterruptedException {
        http.setAttribute(AuditFilter.TARGET, body.name());
        String owner = AccessPolicy.ownerForCreate(caller, body.owner());
        RequestValidation.requireValid(invalid);
        Duration waitFor = Timeouts.parse(timeout, DEFAULT_WAIT);
        var request = new SwarmController.CreateInstance(body.toSpec(), body.provider(), owner, Owners.idOf(caller, owner, store.users()), null,
                OperationResponses.priority(body.priority()));
        return responses.answer(controller.create(request), wait, waitFor);
    }

    @GetMapping
    @Operation(summary = "List instances, filtered and paged, sorted by name")
    PageView<InstanceView> list(@AuthenticationPrincipal Caller caller, @RequestParam(required = false) String provider, @RequestParam(required = false) String status,
                                @RequestParam(required = false) String pool, @RequestParam(required = false) String name,
                                @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "50") int limit) {
        Page.requireValid(offset, limit, InstanceQuery.MAX_LIMIT);
        InstanceStatus s = null;
        if (status != null) {
            try {
                s = InstanceStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidSpecException("status", "must be one of creating, starting, running, stopping, stopped, failed, deleting");
            }
        }
        if (caller.instanceScope() != null) {
            // an instance token lists its own instance, nothing else
            Instance own = controller.find(caller.instanceScope());
            List<InstanceView> items = offset == 0 ? List.of(views.of(own, caller)) : List.of();
            return new PageView<>(items, 1, offset, limit);
        }
        String ownerId = AccessPolicy.seesAllInstances(caller) ? null : caller.userId();
        return PageView.of(controller.list(new InstanceQuery(provider, s, pool, ownerId, name, offset, limit)).map(i -> views.of(i, caller)));
    }

    @GetMapping("/{id}")
    InstanceView get(@AuthenticationPrincipal Caller caller, @PathVariable String id) {
        return views.of(AccessPolicy.visible(caller, controller.find(id), id), caller);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Update resources (live where the provider can), metadata or idle timeout")
    InstanceView update(@AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestBody InstanceRequests.UpdateInstance body) {
        AccessPolicy.manageable(caller, controller.find(id), id);
        var update = new InstanceUpdate(body.resources() == null ? null : body.resources().toResources(), body.metadata(),
                body.idleTimeoutMinutes() == null ? null : Duration.ofMinutes(body.idleTimeoutMinutes()));
        return views.of(controller.update(id, update));
    }

    @PatchMapping("/{id}")
    InstanceView patch(@AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestBody InstanceRequests.UpdateInstance body) {
        return update(caller, id, body);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete an instance and, unless keepVolumes=true, its persistent volumes")
    ResponseEntity<AcceptedView> delete(@AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestParam(defaultValue = "false") boolean keepVolumes,
                                        @RequestParam(defaultValue = "false") boolean wait, @RequestParam(required = false) String timeout,
                                        @RequestParam(required = false) String priority) throws InterruptedException {
        Instance instance = AccessPolicy.manageable(caller, controller.find(id), id);
        Duration waitFor = Timeouts.parse(timeout, DEFAULT_WAIT);
        Priority p = OperationResponses.priority(priority);
        return responses.answer(controller.delete(instance, keepVolumes, p), wait, waitFor);
    }

    @PostMapping("/{id}/start")
    ResponseEntity<AcceptedView> start(@AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestParam(defaultValue = "false") boolean wait,
                                       @RequestParam(required = false) String timeout, @RequestParam(required = false) String priority)
            throws InterruptedException {
        Instance instance = AccessPolicy.operable(caller, controller.find(id), id);
        Duration waitFor = Timeouts.parse(timeout, DEFAULT_WAIT);
        Priority p = OperationResponses.priority(priority);
        return responses.answer(controller.start(instance, p), wait, waitFor);
    }

    @PostMapping("/{id}/stop")
    ResponseEntity<AcceptedView> stop(@AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestParam(defaultValue = "false") boolean wait,
                                      @RequestParam(required = false) String timeout, @RequestParam(required = false) String priority)
            throws InterruptedException {
        Instance instance = AccessPolicy.operable(caller, controller.find(id), id);
        Duration waitFor = Timeouts.parse(timeout, DEFAULT_WAIT);
        Priority p = OperationResponses.priority(priority);
        return responses.answer(controller.stop(instance, p), wait, waitFor);
    }

    @PostMapping("/{id}/restart")
    ResponseEntity<AcceptedView> restart(@AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestParam(defaultValue = "false") boolean wait,
                                         @RequestParam(required = false) String timeout, @RequestParam(required = false) String priority)
            throws InterruptedException {
        Instance instance = AccessPolicy.operable(caller, controller.find(id), id);
        Duration waitFor = Timeouts.parse(timeout, DEFAULT_WAIT);
        Priority p = OperationResponses.priority(priority);
        return responses.answer(controller.restart(instance, p), wait, waitFor);
    }

    /** POST /instances/{id}/recreate: absent image keeps the current one; startEmpty allows empty volumes in place of ones that are gone. */
    record Recreate(String image, Boolean startEmpty) {}

    @PostMapping("/{id}/recreate")
    @Operation(summary = "Replace the instance's container, e.g. with a new image; /workspace and other persistent volumes are kept")
    ResponseEntity<AcceptedView> recreate(@AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestBody(required = false) Recreate body,
                                          @RequestParam(defaultValue = "false") boolean wait, @RequestParam(required = false) String timeout,
                                          @RequestParam(required = false) String priority) throws InterruptedException {
        Instance instance = AccessPolicy.manageable(caller, controller.find(id), id);
        Duration waitFor = Timeouts.parse(timeout, DEFAULT_WAIT);
        Priority p = OperationResponses.priority(priority);
        boolean startEmpty = body != null && Boolean.TRUE.equals(body.startEmpty());
        return responses.answer(controller.recreate(instance, body == null ? null : body.image(), startEmpty, p), wait, waitFor);
    }

    @PostMapping("/{id}/exec")
    @Operation(summary = "Run a command; the result is in the operation's result and in /executions")
    ResponseEntity<AcceptedView> exec(@AuthenticationPrincipal Caller caller, @PathVariable String id, @Valid @RequestBody InstanceRequests.Exec body, BindingResult invalid,
                                      @RequestParam(defaultValue = "false") boolean wait, @RequestParam(required = false) String timeout) throws InterruptedException {
        Instance instance = controller.find(id);
        AccessPolicy.operable(caller, instance, id);
        RequestValidation.requireValid(invalid);
        var request = new ExecRequest(body.command(), body.env(), body.user(), body.workdir(),
                body.timeoutSeconds() == null ? null : Duration.ofSeconds(body.timeoutSeconds()), body.maxOutputBytes() == null ? 0 : body.maxOutputBytes());
        Duration wanted = Timeouts.parse(timeout, request.timeout().plusSeconds(30));
        var priority = OperationResponses.priority(body.priority());
        return responses.answer(controller.exec(instance, request, priority), wait, wanted);
    }

    @GetMapping("/{id}/executions")
    @Operation(summary = "Command history of an instance, newest first; output of commands that ran with secrets only for its owner and admins")
    PageView<Execution> executions(@AuthenticationPrincipal Caller caller, @PathVariable String id, @RequestParam(defaultValue = "0") int offset, @RequestParam(defaultValue = "20") int limit) {
        Page.requireValid(offset, limit, 200);
        Instance instance = detailed(caller, id);
        return PageView.of(store.executions().listForInstance(instance.id(), offset, limit).map(e -> readable(e, instance, caller)));
    }

    @GetMapping("/{id}/executions/{executionId}")
    @Operation(summary = "One command of the history; output of a command that ran with secrets only for the instance's owner and admins")
    Execution execution(@AuthenticationPrincipal Caller caller, @PathVariable String id, @PathVariable String executionId) {
        Instance instance = detailed(caller, id);
        return store.executions().find(executionId).filter(e -> e.instanceId().equals(instance.id())).map(e -> readable(e, instance, caller))
                .orElseThrow(() -> new io.devswarm.core.model.NotFoundException("execution", executionId));
    }

    /**
     * The command as this caller may read it. Output of a command that ran with secrets goes only
     * to those who may read the instance's secrets: redaction finds exact values, not
     * {@code base64} or {@code rev} of them.
     */
    private static Execution readable(Execution e, Instance instance, Caller caller) {
        if (!e.withSecrets() || AccessPolicy.readsSecretsOf(caller, instance)) return e;
        return e.withheld("the command ran with secrets in its environment: its output is shown only to the instance's owner and admins");
    }

    /** The instance, if the caller may read its command history (not a viewer's). */
    private Instance detailed(Caller caller, String id) {
        Instance instance = AccessPolicy.visible(caller, controller.find(id), id);
        if (!AccessPolicy.readsDetails(caller)) throw new ForbiddenException("your roles allow instance status only");
        return instance;
    }
}
