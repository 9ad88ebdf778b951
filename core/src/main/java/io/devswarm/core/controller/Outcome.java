package io.devswarm.core.controller;

import java.time.Duration;

/** What became of one run of an operation, for whatever scheduled it. */
public sealed interface Outcome {
    /** Nothing more to do. */
    record Done() implements Outcome {}

    /** The operation failed for good: worth a reconcile pass soon, the substrate may have drifted. */
    record Failed() implements Outcome {}

    /** Run it again after {@code delay}. */
    record Retry(Duration delay) implements Outcome {}

    Outcome DONE = new Done();
    Outcome FAILED = new Failed();
}
