package dev.runbook.report;

/**
 * A step over all its attempts.
 *
 * @param step the step id
 * @param status the status of its last attempt
 * @param attempts how many attempts the log holds
 * @param durationMs the sum of the attempts' durations, in milliseconds
 * @param phase the section it ran in: the main walk, rollback or verify
 */
public record StepSummary(String step, String status, int attempts, long durationMs, dev.runbook.model.Phase phase) {}
