package dev.runbook.action;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.Inventory;
import dev.runbook.template.Renderer;
import java.time.Duration;

/**
 * The executor of one action key (design notes: one stateless executor per key,
 * {@code execute(spec, context) → Result}).
 *
 * @param <S> the spec it runs
 */
public interface Action<S extends ActionSpec> {

    /** The timeout used when the step gives none. */
    Duration defaultTimeout();

    /**
     * What the step will act on, resolved and masked, for the {@code step.started} event's
     * {@code target} and the operator's screen (a command, URL, query, host list). Opens no
     * connection: dry-runs call it.
     *
     * @param environment the run's environment, to name databases and expand host groups; may be null
     * @throws dev.runbook.template.ExpressionException when a template fails
     */
    String target(S spec, Renderer renderer, Inventory.Environment environment);

    /**
     * Runs one attempt. Must end by {@code ctx.timeout()} (returning
     * {@link ActionResult#timedOut}), never print, and stop promptly when cancelled.
     *
     * @return the result, with the contract's result fields
     * @throws InterruptedException when cancelled (Ctrl-C); the action has cleaned up
     * @throws dev.runbook.template.ExpressionException when a template fails
     */
    ActionResult execute(S spec, ActionContext ctx) throws InterruptedException;
}
