package io.devswarm.core.operation;

import io.devswarm.core.provider.ExecRequest;

/** The arguments of an operation beyond its type and instance, persisted with it. */
public sealed interface OperationPayload {
    record None() implements OperationPayload {}

    record Delete(boolean keepVolumes) implements OperationPayload {}

    /** A stop with a reason shown as the instance's status reason (auto-stop says why). */
    record Stop(String reason) implements OperationPayload {}

    /** A start with a reason kept as the instance's status reason once it runs (a restart after its compute died says so). */
    record Start(String reason) implements OperationPayload {}

    /** A recreate; {@code startEmpty} allows new, empty volumes in place of ones that are gone. */
    record Recreate(boolean startEmpty) implements OperationPayload {}

    record Exec(ExecRequest request) implements OperationPayload {}

    record Scale(String pool, int replicas, boolean keepVolumes) implements OperationPayload {}

    OperationPayload NONE = new None();
}
