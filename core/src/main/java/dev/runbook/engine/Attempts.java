package dev.runbook.engine;

import dev.runbook.action.Action;
import dev.runbook.action.ActionContext;
import dev.runbook.action.ActionResult;
import dev.runbook.action.Cancellation;
import dev.runbook.action.Resources;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.FlowTarget;
import dev.runbook.model.Step;
import dev.runbook.model.StepStatus;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Renderer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One attempt of an executor step (contract, "A step"): {@code step.started}, the action
 * with its timeout and cancellation, the {@code check} expressions and {@code retry.until},
 * then {@code step.finished}; the result is published as {@code steps.<id>.*}. It writes
 * through the {@link Recorder} and never calls back into the {@link Engine}.
 */
final class Attempts {

    private final Recorder rec;
    private final Interruption stop;
    private final Plan plan;
    private final Operator op;
    private final Actions actions;
    private final Resources resources;
    private final Renderer renderer;

    Attempts(
            Recorder rec,
            Interruption stop,
            Plan plan,
            Operator op,
            Actions actions,
            Resources resources,
            Renderer renderer) {
        this.rec = rec;
        this.stop = stop;
        this.plan = plan;
        this.op = op;
        this.actions = actions;
        this.resources = resources;
        this.renderer = renderer;
    }

    /**
     * One attempt: step.started, the action, checks, step.finished.
     *
     * @return null on success, else the one-line error
     * @throws Interruption.Interrupted when Ctrl-C stopped it (its step.finished is written)
     * @throws Crash when the action threw: a bug, not a failure (its step.finished is written)
     */
    String run(StepView view, int attempt, int attempts) throws Interruption.Interrupted, Crash {
        stop.check();
        Step step = view.step();
        rec.started(step, attempt, view.target());
        op.attemptStarted(view, attempt, attempts);
        Instant t0 = rec.now();
        ActionResult r = execute(step, attempt);
        rec.publish(step, r.fields(), status(r.status()));
        if (r.status() == ActionResult.Status.SUCCEEDED) {
            r = checks(step, r);
        }
        Duration took = Duration.between(t0, rec.now());
        StepStatus status = status(r.status());
        rec.finished(step, attempt, status, took.toMillis(), r.fields(), r.error());
        op.attemptFinished(view, attempt, status, took, r.error(), r.fields());
        if (r.status() == ActionResult.Status.SUCCEEDED) {
            return null;
        }
        return r.error() == null ? status.wire() : r.error();
    }

    private ActionResult execute(Step step, int attempt) throws Interruption.Interrupted, Crash {
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
        stop.running(c);
        boolean keepGoing = step.onFailure() instanceof FlowTarget.Continue;
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
                keepGoing,
                plan.processEnv());
        ActionResult r;
        try {
            stop.check();
            r = action.execute(spec, ctx);
        } catch (InterruptedException e) {
            r = null;
        } catch (ExpressionException e) {
            r = ActionResult.failed(ActionResult.newFields(), e.getMessage());
        } catch (RuntimeException e) {
            rec.finished(step, attempt, StepStatus.FAILED, 0, Map.of(), "internal error: " + e);
            throw new Crash(step.id(), e);
        } finally {
            stop.running(null);
            Thread.interrupted();
        }
        if (r == null || stop.requested()) {
            Map<String, Object> fields = r == null ? Map.of() : r.fields();
            rec.finished(step, attempt, StepStatus.FAILED, 0, fields, stop.stepError());
            throw new Interruption.Interrupted();
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

    /** The step status of an action's result. */
    static StepStatus status(ActionResult.Status s) {
        return switch (s) {
            case SUCCEEDED -> StepStatus.SUCCEEDED;
            case FAILED -> StepStatus.FAILED;
            case TIMED_OUT -> StepStatus.TIMED_OUT;
        };
    }
}
