package dev.runbook.engine;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.DecisionChoice;
import dev.runbook.model.FlowTarget;
import dev.runbook.model.InputDef;
import dev.runbook.model.Phase;
import dev.runbook.model.Step;
import dev.runbook.model.StepStatus;
import dev.runbook.template.Renderer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The steps that belong to the operator ({@code manual}, {@code input}, {@code choose})
 * and the prompt before any step in interactive mode (issue 2, "Interactive mode";
 * unattended rules of "--yes"). It writes through the {@link Recorder} and never calls back
 * into the {@link Engine}.
 */
final class OperatorSteps {

    private final Recorder rec;
    private final Interruption stop;
    private final Plan plan;
    private final Operator op;
    private final Renderer renderer;

    OperatorSteps(Recorder rec, Interruption stop, Plan plan, Operator op, Renderer renderer) {
        this.rec = rec;
        this.stop = stop;
        this.plan = plan;
        this.op = op;
        this.renderer = renderer;
    }

    /**
     * Records a skipped step: its decision (when an operator or the mode decided, else null)
     * and its {@code step.finished} {@code skipped} with {@code result.reason}.
     */
    void skip(StepView view, String reason, String decisionReason) {
        if (decisionReason != null) {
            rec.decision(view.step(), DecisionChoice.SKIP, null, decisionReason);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("reason", reason);
        rec.finished(view.step(), 0, StepStatus.SKIPPED, 0, result, null);
        op.skipped(view, reason);
    }

    /**
     * Interactive prompt before an executor or manual step; confirms dangerous and protected
     * steps; logs the decision ({@code run}, or {@code done} for a manual step).
     *
     * @return null to go on with the step, else where the walk goes
     */
    Flow askToRun(StepView view) throws Interruption.Interrupted {
        boolean manual = view.step().action() instanceof ActionSpec.Manual;
        Step step = view.step();
        while (true) {
            Answer a = op.askStep(view);
            stop.check();
            Flow f = common(view, a);
            if (f != null) {
                return f;
            }
            if (a.kind() == Answer.Kind.NOTE) {
                continue;
            }
            if (guarded(step) && !confirm(view)) {
                continue;
            }
            rec.decision(step, manual ? DecisionChoice.DONE : DecisionChoice.RUN, null, "operator");
            return null;
        }
    }

    /** Skip, abort and rollback answers, common to every prompt; null for the others. */
    private Flow common(StepView view, Answer a) {
        Step step = view.step();
        switch (a.kind()) {
            case NOTE -> {
                rec.note(step, a.text());
                return null;
            }
            case SKIP -> {
                skip(view, "skipped by the operator", "operator");
                return Flow.NEXT;
            }
            case ABORT -> {
                rec.decision(step, DecisionChoice.ABORT, null, "operator");
                return Flow.ABORT;
            }
            case ROLLBACK -> {
                if (view.phase() == Phase.ROLLBACK) {
                    op.info("already rolling back");
                    return null;
                }
                rec.decision(step, DecisionChoice.ROLLBACK, null, "operator");
                return new Flow.Rollback("operator at step '" + step.id() + "'");
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * A resolution check runs without a prompt, except one that changes things in a protected
     * environment (or a dangerous one): it is confirmed by typing the environment's name, as any
     * such step. Unattended, such a check does not run.
     *
     * @return true when the check may run
     */
    boolean mayCheck(StepView view) throws Interruption.Interrupted {
        Step step = view.step();
        if (!guarded(step)) {
            return true;
        }
        boolean ok = plan.mode() == Mode.INTERACTIVE && confirm(view);
        stop.check();
        rec.decision(
                step,
                ok ? DecisionChoice.RUN : DecisionChoice.SKIP,
                null,
                ok ? "operator confirmed the check" : "check not confirmed: the service is not verified");
        return ok;
    }

    private boolean guarded(Step step) {
        return step.dangerous()
                || plan.environment() != null
                        && plan.environment().isProtected()
                        && step.action().mutating();
    }

    private boolean confirm(StepView view) {
        Step step = view.step();
        String expected = plan.envName() != null ? plan.envName() : step.id();
        String why = step.dangerous()
                ? "step '" + step.id() + "' is marked dangerous"
                : "environment '" + plan.envName() + "' is protected and this step changes things";
        boolean ok = op.confirmTyped(view, expected, why);
        if (!ok) {
            op.info("not confirmed: the step did not run");
        }
        return ok;
    }

    /** Runs a manual, input or choose step. */
    Flow run(StepView view) throws Interruption.Interrupted {
        ActionSpec a = view.step().action();
        if (a instanceof ActionSpec.Manual m) {
            return manual(view, m);
        }
        if (a instanceof ActionSpec.Input in) {
            return input(view, in);
        }
        return choose(view, (ActionSpec.Choose) a);
    }

    private Flow manual(StepView view, ActionSpec.Manual m) throws Interruption.Interrupted {
        if (plan.mode() != Mode.INTERACTIVE) {
            skip(view, "unattended", "unattended");
            return Flow.NEXT;
        }
        java.time.Instant t0 = started(view);
        Flow f = askToRun(view);
        if (f != null) {
            return f;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("confirmed_by", plan.operator());
        result.put("checked", m.checklist());
        finished(view, result, t0);
        return Flow.NEXT;
    }

    private Flow input(StepView view, ActionSpec.Input in) throws Interruption.Interrupted {
        Map<String, Object> inputs = plan.scope().get("inputs");
        String value = plan.inputs().get(in.name());
        if (value == null && plan.mode() == Mode.INTERACTIVE) {
            String dflt = in.defaultValue() == null
                    ? null
                    : renderer.text(in.defaultValue()).text();
            value = op.askInput(new InputDef(
                    in.name(),
                    in.description(),
                    dflt,
                    in.pattern() == null ? null : Pattern.compile(in.pattern()),
                    dflt == null,
                    in.secret()));
            stop.check();
        }
        if (value == null) {
            value = in.defaultValue() == null
                    ? ""
                    : renderer.text(in.defaultValue()).text();
        }
        if (in.secret()) {
            plan.masker().add(value);
        }
        inputs.put(in.name(), value);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("value", value);
        finished(view, result, started(view));
        return Flow.NEXT;
    }

    private Flow choose(StepView view, ActionSpec.Choose c) throws Interruption.Interrupted {
        Step step = view.step();
        ActionSpec.Option picked;
        if (plan.mode() == Mode.INTERACTIVE) {
            while (true) {
                Answer a = op.askChoice(view, c);
                stop.check();
                Flow f = common(view, a);
                if (f != null) {
                    return f;
                }
                if (a.kind() == Answer.Kind.OPTION) {
                    picked = c.options().get(a.option());
                    break;
                }
            }
            decided(step, picked, "operator chose '" + picked.label() + "'");
        } else {
            picked = c.defaultChoice();
            decided(step, picked, "unattended: default '" + picked.label() + "'");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("choice", picked.label());
        finished(view, result, started(view));
        FlowTarget to = picked.gotoStep();
        if (to == null) {
            return Flow.NEXT;
        }
        return to instanceof FlowTarget.Goto g ? new Flow.Goto(g.step()) : Flow.END;
    }

    private void decided(Step step, ActionSpec.Option picked, String reason) {
        if (picked.gotoStep() instanceof FlowTarget.Goto g) {
            rec.decision(step, DecisionChoice.GOTO, g.step(), reason);
        } else if (picked.gotoStep() != null) {
            rec.decision(step, DecisionChoice.GOTO, picked.gotoStep().text(), reason);
        } else {
            rec.decision(step, DecisionChoice.RUN, null, reason);
        }
    }

    /** Logs the start of an operator step; returns when it started. */
    private Instant started(StepView view) {
        rec.started(view.step(), 1, view.target());
        return rec.now();
    }

    /** Logs an operator step's success and publishes its result. */
    private void finished(StepView view, Map<String, Object> result, Instant t0) {
        Duration took = Duration.between(t0, rec.now());
        rec.finished(view.step(), 1, StepStatus.SUCCEEDED, took.toMillis(), result, null);
        op.attemptFinished(view, 1, StepStatus.SUCCEEDED, took, null, result);
    }
}
