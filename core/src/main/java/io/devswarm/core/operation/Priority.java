package io.devswarm.core.operation;

/** Seed 004's queues. Higher runs first when workers are busy. */
public enum Priority {
    CRITICAL(30), HIGH(20), DEFAULT(10), LOW(0);

    private final int weight;

    Priority(int weight) {
        this.weight = weight;
    }

    public int weight() {
        return weight;
    }
}
