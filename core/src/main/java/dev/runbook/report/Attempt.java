package dev.runbook.report;

import java.time.Instant;

/**
 * One attempt of one step, from its {@code step.started} to its {@code step.finished}.
 *
 * @param step the step id
 * @param attempt 1-based attempt number
 * @param action the action key ({@code http}, {@code shell}…); null when the log does not say
 * @param target the resolved command / URL / query as logged (masked); may be null
 * @param start when it started (for a step finished without a start, its finish minus its duration)
 * @param end when it finished; for an attempt never finished, the log's last event time
 * @param status {@code succeeded|failed|skipped|timed_out}, or {@code unfinished} when the log stops first
 * @param durationMs the logged {@code duration_ms}, else {@code end - start}
 * @param error the logged error, or null
 * @param phase the section it ran in: the main walk, rollback or verify
 */
public record Attempt(
        String step,
        int attempt,
        String action,
        String target,
        Instant start,
        Instant end,
        String status,
        long durationMs,
        String error,
        dev.runbook.model.Phase phase) {}
