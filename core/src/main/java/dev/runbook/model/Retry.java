package dev.runbook.model;

import java.time.Duration;

/**
 * A step's {@code retry:}: up to {@code attempts} attempts in all, {@code delay} between
 * them, stopping early once {@code until} (an expression, may be null) is true.
 */
public record Retry(int attempts, Duration delay, String until) {

    /** One attempt, no retry. */
    public static final Retry NONE = new Retry(1, Duration.ZERO, null);
}
