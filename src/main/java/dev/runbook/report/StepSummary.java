package dev.runbook.report;

/**
 * A step over all its attempts.
 *
 * @param step the step id
 * @param status the status of its last attempt
 * @param attempts how many attempts the log holds
 * @param durationMs the sum of the attempts' durations, in milliseconds
 * @param rollback true when the step ran in the rollback section
 */
public record StepSummary(String step, String status, int attempts, long durationMs, boolean rollback) {}
