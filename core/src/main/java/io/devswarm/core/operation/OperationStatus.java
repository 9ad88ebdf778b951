package io.devswarm.core.operation;

public enum OperationStatus {
    PENDING, PROCESSING, COMPLETED, FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }
}
