package io.devswarm.core.model;

import java.time.Duration;

/**
 * Outcome of a non-interactive command (seed 001 CommandResult).
 *
 * @param exitCode  the process exit code; -1 when it was killed on timeout
 * @param truncated true when output beyond the requested cap was dropped
 */
public record CommandResult(int exitCode, String stdout, String stderr, boolean timedOut, boolean truncated, Duration duration) {}
