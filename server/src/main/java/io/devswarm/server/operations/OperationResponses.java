package io.devswarm.server.operations;

import io.devswarm.core.controller.Accepted;
import io.devswarm.core.controller.OperationWaiter;
import io.devswarm.core.controller.SwarmController;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.model.NotFoundException;
import io.devswarm.core.operation.Operation;
import io.devswarm.core.operation.OperationStatus;
import io.devswarm.core.operation.OperationType;
import io.devswarm.core.operation.Priority;
import io.devswarm.server.instances.InstanceView;
import java.time.Duration;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * How every mutating endpoint answers: 202 with the operation (and the instance as it stands),
 * or with {@code wait=true} the same after the operation ended (200; the instance as the operation
 * left it, read again only when another server ran it; a command leaves its instance as the request
 * read it), or 202 if it did not end within {@code timeout}.
 */
@Component
public class OperationResponses {
    private final OperationWaiter waiter;
    private final SwarmController controller;
    private final io.devswarm.server.instances.InstanceViews views;

    OperationResponses(OperationWaiter waiter, SwarmController controller, io.devswarm.server.instances.InstanceViews views) {
        this.waiter = waiter;
        this.controller = controller;
        this.views = views;
    }

    /** The body of an accepted request. */
    public record AcceptedView(OperationView operation, InstanceView instance) {}

    /** {@code timeout} is a wait {@link Timeouts#parse} accepted: routes parse every parameter before they change anything. */
    public ResponseEntity<AcceptedView> answer(Accepted accepted, boolean wait, Duration timeout) throws InterruptedException {
        if (!wait) {
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(view(accepted.operation(), accepted));
        }
        OperationWaiter.Ended end = waiter.await(accepted.operation().id(), timeout);
        Operation done = end.operation();
        HttpStatus status = done.status().isTerminal() ? HttpStatus.OK : HttpStatus.ACCEPTED;
        Instance left = end.instance() != null ? end.instance() : done.type() == OperationType.EXEC && done.status().isTerminal() ? accepted.instance() : null;
        return ResponseEntity.status(status).body(left != null ? viewWith(done, left) : view(done, accepted));
    }

    /** With the instance as given, not read again. */
    private AcceptedView viewWith(Operation op, Instance instance) {
        return new AcceptedView(OperationView.of(op), views.of(instance));
    }

    private AcceptedView view(Operation op, Accepted accepted) {
        InstanceView instance = null;
        boolean gone = op.type() == OperationType.DELETE && op.status() == OperationStatus.COMPLETED;
        if (accepted.instance() != null && !gone) {
            try {
                instance = views.of(controller.find(accepted.instance().id()));
            } catch (NotFoundException deleted) {
                instance = null;
            }
        }
        return new AcceptedView(OperationView.of(op), instance);
    }

    /** Parses {@code priority=high}; null means default. */
    public static Priority priority(String value) {
        if (value == null || value.isBlank()) return Priority.DEFAULT;
        try {
            return Priority.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("priority", "must be one of critical, high, default, low");
        }
    }
}
