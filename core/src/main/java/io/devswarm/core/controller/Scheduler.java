package io.devswarm.core.controller;

import io.devswarm.core.operation.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The durable schedule the control plane runs on: what must happen even if this server dies.
 * An operation scheduled here runs on some server (by priority) when it is due, and again after
 * a crash, until the control plane's run of it ends; recurring passes run on one server at a time.
 * Running operations at once on this server, without the schedule's round trips, is the control
 * plane's own business ({@link ControlPlane}); the schedule only keeps such a run's lease.
 *
 * <p>Made by a {@link Factory} that the {@link ControlPlane} calls once with the {@link Work} to hand
 * due things to; nothing is handed over before {@link #start()}.
 */
public interface Scheduler extends AutoCloseable {

    /** Makes the scheduler; called once by the control plane as it is built. */
    @FunctionalInterface
    interface Factory {
        Scheduler create(Work work);
    }

    /**
     * What the control plane gives its scheduler: the run of a due operation, by id (on the
     * scheduler's own threads; a {@link Outcome.Retry} asks for it to be due again later), and
     * the recurring passes.
     */
    record Work(Function<String, Outcome> dueOperation, List<Recurring> recurring) {
        public Work {
            recurring = List.copyOf(recurring);
        }
    }

    /** A pass run every {@code every}, on one server at a time among those sharing the schedule. */
    record Recurring(String name, Duration every, Runnable pass) {}

    /** Makes the stored operation due now, ordered by its priority. Nothing changes if it is scheduled already. */
    void submit(Operation operation);

    /**
     * Schedules the stored operation at {@code until} for this server to run now: it is this server's
     * until then, any server's after (this one died). False, and nothing changed, if it is scheduled already.
     */
    boolean lease(Operation operation, Instant until);

    /** Moves an operation's schedule: a lease renewed, or a retry after a delay. */
    void reschedule(String operationId, Instant at);

    /** Removes the schedule of an operation this server ran to its end, unless a scheduler picked it meanwhile (that one removes it). */
    void release(String operationId);

    /** Runs the named recurring pass soon, besides its regular runs. */
    void runSoon(String recurring);

    /** Begins handing due operations and passes over. */
    void start();

    /** Stops handing things over; scheduled operations stay scheduled. */
    @Override
    void close();
}
