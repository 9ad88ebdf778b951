package io.devswarm.store;

import io.devswarm.core.operation.Operation;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The durable schedule of operations, kept by db-scheduler in its table (part of our schema). The
 * execution of an operation this server runs at once is written and removed here, in db-scheduler's
 * row format, with one statement each, and written in the transaction that stores the operation: its
 * client reads the row before either, to report a duplicate or a missing one, and a new operation id
 * has no row to find.
 */
final class OperationSchedule {
    static final String TASK = "devswarm-operation";

    private OperationSchedule() {}

    /** Schedules {@code operation} at {@code until}: it is this server's to run until then, any server's after (a crash). */
    static void lease(Jdbc jdbc, Connection c, Operation operation, Instant until) throws SQLException {
        jdbc.update(c, "INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version, priority) VALUES (?,?,NULL,?,FALSE,1,?)",
                TASK, operation.id(), until, operation.priority().weight());
    }

    /** Removes the execution of an operation run here, unless a scheduler picked it meanwhile (its lease ran out): that one removes it when done. */
    static void remove(Jdbc jdbc, String operationId) {
        jdbc.update("DELETE FROM scheduled_tasks WHERE task_name = ? AND task_instance = ? AND picked = FALSE", TASK, operationId);
    }
}
