package io.devswarm.core.operation;

import io.devswarm.core.model.InstanceStatus;
import java.util.List;
import java.util.Objects;

/**
 * What a completed operation produced, one record per kind of operation. The records' components
 * are the fields of the result as the API shows it and the store keeps it, in that order: a
 * result is read back by its operation's type, so rows written by earlier versions still read.
 */
public sealed interface OperationResult {

    /**
     * A create, start, restart or stop: the status it left the instance in, by its wire name
     * ("running", "stopped"), as clients read it.
     */
    record Settled(String status) implements OperationResult {
        public Settled {
            Objects.requireNonNull(status, "status");
        }

        public static Settled of(InstanceStatus status) {
            return new Settled(status.wireName());
        }
    }

    /** A recreate: the instance runs again, from {@code image}. */
    record Recreated(String status, String image) implements OperationResult {
        public Recreated {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(image, "image");
        }

        public static Recreated running(String image) {
            return new Recreated(InstanceStatus.RUNNING.wireName(), image);
        }
    }

    /** A delete: whether the instance's persistent volumes were kept. */
    record Deleted(boolean keptVolumes) implements OperationResult {}

    /** A command: its execution (output is in the executions history, never here) and how it ended. */
    record Executed(String executionId, int exitCode, boolean timedOut, boolean truncated) implements OperationResult {
        public Executed {
            Objects.requireNonNull(executionId, "executionId");
        }
    }

    /**
     * A scale pass: the members it created, those it is deleting (highest ordinal first), and
     * those it left to the next pass because another operation held them.
     */
    record Scaled(List<String> created, List<String> deleting, List<String> busy) implements OperationResult {
        public Scaled {
            created = List.copyOf(created);
            deleting = List.copyOf(deleting);
            busy = List.copyOf(busy);
        }
    }
}
