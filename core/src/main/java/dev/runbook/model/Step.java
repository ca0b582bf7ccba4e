package dev.runbook.model;

import java.time.Duration;
import java.util.List;

/**
 * One step of a runbook (contract, "A step").
 *
 * @param id unique in the file (steps and rollback together)
 * @param title shown to the operator; the id when the file has none
 * @param description Markdown shown before the step; may be null
 * @param action what the step does (exactly one action key)
 * @param when expression; the step is skipped when false; null means always
 * @param timeout per attempt; null means the action's default
 * @param retry attempts, delay and stop condition; {@link Retry#NONE} by default
 * @param check expressions that must all be true after the action; may be empty
 * @param onFailure {@code abort} (default), {@code continue}, {@code rollback} or a {@code Goto}
 * @param onSuccess {@code next} (default), {@code end} or a {@code Goto}
 * @param dangerous destructive: typed confirmation, refused with --yes unless --allow-dangerous
 * @param position where the step starts in its file
 * @param positions where each of the step's keys has its value ({@code "on_failure"} → position)
 * @param severity extension: when the step succeeds, the incident is re-classified to this
 *     severity (a template rendering to P1..P4, e.g. {@code ${steps.triage.choice}}); null for none
 */
public record Step(
        String id,
        String title,
        String description,
        ActionSpec action,
        String when,
        Duration timeout,
        Retry retry,
        List<String> check,
        FlowTarget onFailure,
        FlowTarget onSuccess,
        boolean dangerous,
        Position position,
        java.util.Map<String, Position> positions,
        String severity,
        Approval approval) {

    /**
     * The same step doing something else, unguarded: another action, no checks, no retry, the
     * action's default timeout, not dangerous; id, texts, {@code when} and flow kept.
     */
    public Step withAction(ActionSpec other) {
        return new Step(
                id,
                title,
                description,
                other,
                when,
                null,
                Retry.NONE,
                List.of(),
                onFailure,
                onSuccess,
                false,
                position,
                positions,
                severity,
                approval);
    }

    /** The same step with another {@code when} expression. */
    public Step withWhen(String expression) {
        return new Step(
                id,
                title,
                description,
                action,
                expression,
                timeout,
                retry,
                check,
                onFailure,
                onSuccess,
                dangerous,
                position,
                positions,
                severity,
                approval);
    }

    /** The same step with another {@code retry}. */
    public Step withRetry(Retry other) {
        return new Step(
                id,
                title,
                description,
                action,
                when,
                timeout,
                other,
                check,
                onFailure,
                onSuccess,
                dangerous,
                position,
                positions,
                severity,
                approval);
    }

    /** Where the value of one of the step's keys stands; the step's position when absent. */
    public Position at(String key) {
        return positions.getOrDefault(key, position);
    }
}
