package dev.runbook.engine;

import dev.runbook.action.Action;
import dev.runbook.action.ActionContext;
import dev.runbook.action.ActionResult;
import dev.runbook.action.Cancellation;
import dev.runbook.action.Resources;
import dev.runbook.journal.Events;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Step;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Renderer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One attempt of an executor step (contract, "A step"): {@code step.started}, the action
 * with its timeout and cancellation, the {@code check} expressions and {@code retry.until},
 * then {@code step.finished}; the result is published as {@code steps.<id>.*}.
 */
final class Attempts {

    private final Engine engine;
    private final Plan plan;
    private final Operator op;
    private final Actions actions;
    private final Clock clock;
    private final Resources resources;
    private final Renderer renderer;

    Attempts(
            Engine engine,
            Plan plan,
            Operator op,
            Actions actions,
            Clock clock,
            Resources resources,
            Renderer renderer) {
        this.engine = engine;
        this.plan = plan;
        this.op = op;
        this.actions = actions;
        this.clock = clock;
        this.resources = resources;
        this.renderer = renderer;
    }

    /**
     * One attempt: step.started, the action, checks, step.finished.
     *
     * @return null on success, else the one-line error
     */
    String run(StepView view, int attempt, int attempts) throws Engine.Interrupted {
        engine.checkInterrupted();
        Step step = view.step();
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("step", step.id());
        started.put("attempt", attempt);
        started.put("action", step.action().key());
        started.put("target", view.target());
        engine.append(Events.STEP_STARTED, started);
        engine.responded();
        op.attemptStarted(view, attempt, attempts);
        Instant t0 = clock.instant();
        ActionResult r = execute(step, attempt);
        engine.publish(step, r.fields(), status(r.status()));
        if (r.status() == ActionResult.Status.SUCCEEDED) {
            r = checks(step, r);
            engine.publish(step, r.fields(), status(r.status()));
        }
        Duration took = Duration.between(t0, clock.instant());
        String status = status(r.status());
        engine.append(
                Events.STEP_FINISHED, Engine.finished(step, attempt, status, took.toMillis(), r.fields(), r.error()));
        op.attemptFinished(view, attempt, status, took, r.error(), r.fields());
        return r.status() == ActionResult.Status.SUCCEEDED ? null : r.error() == null ? status : r.error();
    }

    private ActionResult execute(Step step, int attempt) throws Engine.Interrupted {
        ActionSpec spec = step.action();
        var exec = actions.forSpec(spec);
        if (exec.isEmpty()) {
            return ActionResult.failed(
                    ActionResult.newFields(),
                    "the '" + spec.key() + "' action has no executor in this build of runbook");
        }
        Action<ActionSpec> action = exec.get();
        Duration timeout = step.timeout() != null ? step.timeout() : action.defaultTimeout();
        Cancellation c = new Cancellation();
        engine.running(c);
        boolean keepGoing = step.onFailure().equals(Step.CONTINUE);
        ActionContext ctx = new ActionContext(
                step.id(),
                renderer,
                timeout,
                plan.environment(),
                resources,
                op,
                plan.masker(),
                c,
                op.hostKeys(),
                keepGoing);
        ActionResult r;
        try {
            engine.checkInterrupted();
            r = action.execute(spec, ctx);
        } catch (InterruptedException e) {
            r = null;
        } catch (ExpressionException e) {
            r = ActionResult.failed(ActionResult.newFields(), e.getMessage());
        } catch (RuntimeException e) {
            r = ActionResult.failed(ActionResult.newFields(), "internal error in " + spec.key() + ": " + e);
        } finally {
            engine.running(null);
            Thread.interrupted();
        }
        if (r == null || engine.interrupted()) {
            Map<String, Object> fields = r == null ? Map.of() : r.fields();
            engine.append(
                    Events.STEP_FINISHED, Engine.finished(step, attempt, "failed", 0, fields, "interrupted (Ctrl-C)"));
            throw new Engine.Interrupted();
        }
        return r;
    }

    private ActionResult checks(Step step, ActionResult r) {
        for (String c : step.check()) {
            try {
                if (!renderer.test(c)) {
                    return ActionResult.failed(r.fields(), "check failed: " + c);
                }
            } catch (ExpressionException e) {
                return ActionResult.failed(r.fields(), "check " + e.getMessage());
            }
        }
        String until = step.retry().until();
        if (until != null) {
            try {
                if (!renderer.test(until)) {
                    return ActionResult.failed(r.fields(), "retry.until not met: " + until);
                }
            } catch (ExpressionException e) {
                return ActionResult.failed(r.fields(), "retry.until " + e.getMessage());
            }
        }
        return r;
    }

    static String status(ActionResult.Status s) {
        return switch (s) {
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            default -> "timed_out";
        };
    }
}
