package dev.runbook.engine;

import dev.runbook.journal.Events;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.InputDef;
import dev.runbook.model.Step;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The steps that belong to the operator ({@code manual}, {@code input}, {@code choose})
 * and the prompt before any step in interactive mode (issue 2, "Interactive mode";
 * unattended rules of "--yes").
 */
final class OperatorSteps {

    private final Plan plan;
    private final Operator op;
    private final Engine engine;

    OperatorSteps(Plan plan, Operator op, Engine engine) {
        this.plan = plan;
        this.op = op;
        this.engine = engine;
    }

    /**
     * Interactive prompt before an executor or manual step; confirms dangerous and protected
     * steps; logs the decision ({@code run}, or {@code done} for a manual step).
     *
     * @return null to go on with the step, else where the walk goes
     */
    Flow askToRun(StepView view) throws Engine.Interrupted {
        boolean manual = view.step().action() instanceof ActionSpec.Manual;
        Step step = view.step();
        while (true) {
            Answer a = op.askStep(view);
            engine.checkInterrupted();
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
            engine.decision(step, manual ? "done" : "run", "operator");
            return null;
        }
    }

    /** Skip, abort and rollback answers, common to every prompt; null for the others. */
    private Flow common(StepView view, Answer a) {
        Step step = view.step();
        switch (a.kind()) {
            case NOTE -> {
                engine.note(step, a.text());
                return null;
            }
            case SKIP -> {
                engine.skip(view, "skipped by the operator", "operator");
                return Flow.NEXT;
            }
            case ABORT -> {
                engine.decision(step, "abort", "operator");
                return Flow.ABORT;
            }
            case ROLLBACK -> {
                if (view.rollback()) {
                    op.info("already rolling back");
                    return null;
                }
                engine.decision(step, "rollback", "operator");
                return Flow.rollback("operator at step '" + step.id() + "'");
            }
            default -> {
                return null;
            }
        }
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
    Flow run(StepView view) throws Engine.Interrupted {
        ActionSpec a = view.step().action();
        if (a instanceof ActionSpec.Manual m) {
            return manual(view, m);
        }
        if (a instanceof ActionSpec.Input in) {
            return input(view, in);
        }
        return choose(view, (ActionSpec.Choose) a);
    }

    private Flow manual(StepView view, ActionSpec.Manual m) throws Engine.Interrupted {
        if (plan.mode() != Mode.INTERACTIVE) {
            engine.skip(view, "unattended", "unattended");
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

    private Flow input(StepView view, ActionSpec.Input in) throws Engine.Interrupted {
        Map<String, Object> inputs = plan.scope().get("inputs");
        String value = plan.inputs().get(in.name());
        if (value == null && plan.mode() == Mode.INTERACTIVE) {
            String dflt = in.defaultValue() == null
                    ? null
                    : engine.renderer().text(in.defaultValue()).text();
            value = op.askInput(new InputDef(
                    in.name(),
                    in.description(),
                    dflt,
                    in.pattern() == null ? null : Pattern.compile(in.pattern()),
                    dflt == null,
                    in.secret()));
            engine.checkInterrupted();
        }
        if (value == null) {
            value = in.defaultValue() == null
                    ? ""
                    : engine.renderer().text(in.defaultValue()).text();
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

    private Flow choose(StepView view, ActionSpec.Choose c) throws Engine.Interrupted {
        Step step = view.step();
        ActionSpec.Option picked;
        if (plan.mode() == Mode.INTERACTIVE) {
            while (true) {
                Answer a = op.askChoice(view, c);
                engine.checkInterrupted();
                Flow f = common(view, a);
                if (f != null) {
                    return f;
                }
                if (a.kind() == Answer.Kind.OPTION) {
                    picked = c.options().get(a.option());
                    break;
                }
            }
            engine.decision(
                    step,
                    picked.gotoStep() == null ? "run" : "goto:" + picked.gotoStep(),
                    "operator chose '" + picked.label() + "'");
        } else {
            picked = c.defaultChoice();
            engine.decision(
                    step,
                    picked.gotoStep() == null ? "run" : "goto:" + picked.gotoStep(),
                    "unattended: default '" + picked.label() + "'");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("choice", picked.label());
        finished(view, result, started(view));
        if (picked.gotoStep() == null) {
            return Flow.NEXT;
        }
        return picked.gotoStep().equals(Step.END) ? Flow.END : Flow.to(picked.gotoStep());
    }

    /** Logs the start of an operator step; returns when it started. */
    private java.time.Instant started(StepView view) {
        Step step = view.step();
        Map<String, Object> started = new LinkedHashMap<>();
        started.put("step", step.id());
        started.put("attempt", 1);
        started.put("action", step.action().key());
        started.put("target", view.target());
        engine.append(Events.STEP_STARTED, started);
        engine.responded();
        return engine.now();
    }

    /** Logs an operator step's success and publishes its result. */
    private void finished(StepView view, Map<String, Object> result, java.time.Instant t0) {
        Step step = view.step();
        java.time.Duration took = java.time.Duration.between(t0, engine.now());
        engine.append(Events.STEP_FINISHED, Engine.finished(step, 1, "succeeded", took.toMillis(), result, null));
        Map<String, Object> scoped = new LinkedHashMap<>(result);
        scoped.put("status", "succeeded");
        scoped.put("outcome", "succeeded");
        plan.scope().putStep(step.id(), scoped);
        op.attemptFinished(view, 1, "succeeded", took, null, result);
    }
}
