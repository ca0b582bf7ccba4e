package dev.runbook.engine;

import dev.runbook.model.Step;
import java.time.Duration;

/**
 * A step as the operator sees it at a prompt.
 *
 * @param step the step
 * @param number 1-based position in its section
 * @param total steps in its section
 * @param phase the section of the step (main walk, rollback or verify)
 * @param target the resolved, masked target (command, URL, query); null when not resolvable
 * @param elapsed time since the incident opened
 * @param display renders one of the step's templates for the screen (masked; placeholders in a dry-run);
 *     a template that fails is shown as written
 */
public record StepView(
        Step step,
        int number,
        int total,
        dev.runbook.model.Phase phase,
        String target,
        Duration elapsed,
        java.util.function.UnaryOperator<String> display) {}
