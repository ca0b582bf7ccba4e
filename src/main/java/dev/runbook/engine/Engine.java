package dev.runbook.engine;

import dev.runbook.action.Cancellation;
import dev.runbook.action.Resources;
import dev.runbook.journal.Events;
import dev.runbook.journal.JournalWriter;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Durations;
import dev.runbook.model.Runbook;
import dev.runbook.model.Step;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Renderer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Walks a runbook (design notes, "Engine"): steps in order, {@code when}, {@code retry},
 * {@code timeout}, {@code expect}/{@code check}, {@code on_failure}/{@code on_success},
 * {@code choose} branches, the rollback section, the SLA clock, and the operator's
 * decisions in interactive mode; every event goes to the journal before the action it
 * announces (contract, "The incident log"). One engine runs one incident.
 */
public final class Engine {

    /** Step runs allowed in one incident before the run is stopped as a loop. */
    static final int MAX_STEP_RUNS = 1000;

    private final Plan plan;
    private final Operator op;
    private final JournalWriter journal;
    private final Actions actions;
    private final Clock clock;
    private final Instant start;
    private final Resources resources = new Resources();
    private final Renderer renderer;
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final OperatorSteps operatorSteps;
    private final Attempts attempts;
    private volatile Thread runner;
    private volatile Cancellation current;
    private SlaClock sla;
    private int stepRuns;
    /** Makes each event and the close atomic between the walk and the Ctrl-C thread. */
    private final Object journalLock = new Object();
    /** The step.started that has no step.finished yet: {step, attempt}; null when none. */
    private volatile Map<String, Object> openStep;

    /** Thrown inside the walk when Ctrl-C arrives. */
    static final class Interrupted extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /**
     * @param plan the resolved run (mode interactive or auto)
     * @param op the operator (console)
     * @param journal the incident log, just created
     * @param actions the executors
     * @param clock the clock of timestamps and the SLA
     * @param start the incident's start (the log's id time)
     */
    public Engine(Plan plan, Operator op, JournalWriter journal, Actions actions, Clock clock, Instant start) {
        this.plan = plan;
        this.op = op;
        this.journal = journal;
        this.actions = actions;
        this.clock = clock;
        this.start = start;
        this.renderer = new Renderer(plan.scope().toMap(), plan.masker(), false);
        this.operatorSteps = new OperatorSteps(plan, op, this);
        this.attempts = new Attempts(this, plan, op, actions, clock, resources, renderer);
        Map<String, Object> incident = plan.scope().get("incident");
        incident.put("id", journal.incidentId());
        incident.put("severity", plan.runbook().severity().name());
        incident.put("operator", plan.operator());
        incident.put("started_at", JournalWriter.TS.format(start));
    }

    /**
     * Runs the incident to its end and closes the log.
     *
     * @return the outcome (its exit code per the contract)
     */
    public Outcome run() {
        runner = Thread.currentThread();
        append(Events.INCIDENT_OPENED, Opened.fields(plan, start));
        op.opened(plan, journal.incidentId(), journal.path());
        sla = new SlaClock(plan.runbook().sla(), start, clock, journal);
        Outcome outcome;
        try {
            outcome = walk();
        } catch (Interrupted e) {
            outcome = Outcome.INTERRUPTED;
        } finally {
            current = null;
            resources.close();
        }
        return close(outcome);
    }

    /**
     * Ctrl-C: stops the running step (its process killed, its request cancelled) and makes
     * the run end {@code interrupted}. Safe from any thread.
     */
    public void interrupt() {
        interrupted.set(true);
        Cancellation c = current;
        if (c != null) {
            c.cancel();
        }
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * Closes the log with {@code outcome} unless it is closed already (the Ctrl-C path
     * calls this from the signal thread when the walk is stuck reading a prompt).
     *
     * @return the outcome
     */
    public Outcome close(Outcome outcome) {
        synchronized (journalLock) {
            if (!closed.compareAndSet(false, true)) {
                return outcome;
            }
            if (sla != null) {
                sla.close();
            }
            Map<String, Object> open = openStep;
            if (open != null) {
                journal.append(
                        Events.STEP_FINISHED,
                        finished(
                                plan.runbook().step((String) open.get("step")).orElseThrow(),
                                (Integer) open.get("attempt"),
                                "failed",
                                0,
                                Map.of(),
                                outcome == Outcome.INTERRUPTED ? "interrupted (Ctrl-C)" : "not finished"));
            }
            Duration took = elapsed();
            journal.append(
                    Events.INCIDENT_CLOSED, Map.of("outcome", outcome.logName(), "duration_ms", took.toMillis()));
            op.closed(outcome, took, journal.path());
        }
        return outcome;
    }

    /**
     * Writes an event to the journal, keeping track of the step that started and has not
     * finished yet, so a Ctrl-C at a prompt still closes it. Nothing is written once the
     * incident is closed.
     */
    void append(String type, Map<String, ?> fields) {
        synchronized (journalLock) {
            if (closed.get()) {
                return;
            }
            track(type, fields);
            journal.append(type, fields);
        }
    }

    private void track(String type, Map<String, ?> fields) {
        if (type.equals(Events.STEP_STARTED)) {
            Map<String, Object> open = new LinkedHashMap<>();
            open.put("step", fields.get("step"));
            open.put("attempt", fields.get("attempt"));
            openStep = open;
        } else if (type.equals(Events.STEP_FINISHED)) {
            openStep = null;
        }
    }

    java.time.Instant now() {
        return clock.instant();
    }

    Duration elapsed() {
        return Duration.between(start, clock.instant());
    }

    /** The running action's cancellation (null between actions), for {@link #interrupt()}. */
    void running(Cancellation c) {
        current = c;
    }

    boolean interrupted() {
        return interrupted.get();
    }

    void checkInterrupted() throws Interrupted {
        if (interrupted.get()) {
            throw new Interrupted();
        }
    }

    void responded() {
        sla.responded();
    }

    private Outcome walk() throws Interrupted {
        List<Step> steps = plan.runbook().steps();
        int i = 0;
        while (i < steps.size()) {
            checkInterrupted();
            if (++stepRuns > MAX_STEP_RUNS) {
                op.info("stopping: more than " + MAX_STEP_RUNS + " step runs (a goto loop?)");
                append(
                        Events.NOTE,
                        Map.of("text", "stopped after " + MAX_STEP_RUNS + " step runs: the runbook's gotos loop"));
                return Outcome.FAILED;
            }
            Flow f = runStep(steps.get(i), i, false);
            switch (f.kind()) {
                case NEXT -> i++;
                case END -> {
                    return Outcome.RESOLVED;
                }
                case GOTO -> {
                    if (f.target().equals(Step.END)) {
                        return Outcome.RESOLVED;
                    }
                    op.info("→ going to step '" + f.target() + "'");
                    i = plan.runbook().indexOf(f.target());
                }
                case ABORT -> {
                    return Outcome.ABORTED;
                }
                case FAIL -> {
                    return Outcome.FAILED;
                }
                default -> {
                    return rollback(f.target());
                }
            }
        }
        return Outcome.RESOLVED;
    }

    private Outcome rollback(String reason) throws Interrupted {
        Runbook rb = plan.runbook();
        append(Events.ROLLBACK_STARTED, Map.of("reason", reason));
        op.info("↩ rollback: " + reason);
        boolean ok = true;
        for (int i = 0; i < rb.rollback().size(); i++) {
            checkInterrupted();
            Flow f = runStep(rb.rollback().get(i), i, true);
            if (f.kind() == Flow.Kind.FAIL || f.kind() == Flow.Kind.ABORT) {
                ok = false;
                break;
            }
            if (f.kind() == Flow.Kind.END) {
                break;
            }
            if (f == Flow.NEXT && failed(rb.rollback().get(i).id())) {
                ok = false;
            }
        }
        append(Events.ROLLBACK_FINISHED, Map.of("status", ok ? "succeeded" : "failed"));
        return ok ? Outcome.ROLLED_BACK : Outcome.FAILED;
    }

    private boolean failed(String stepId) {
        Object s = plan.scope().get("steps").get(stepId);
        return s instanceof Map<?, ?> m && !"succeeded".equals(m.get("outcome")) && !"skipped".equals(m.get("outcome"));
    }

    /** Runs one step with its prompts, attempts and branching. */
    private Flow runStep(Step step, int index, boolean inRollback) throws Interrupted {
        StepView view = view(step, index, inRollback, null);
        if (step.when() != null) {
            boolean go;
            try {
                go = renderer.test(step.when());
            } catch (ExpressionException e) {
                return failedBeforeRun(view, "when: " + e.getMessage(), inRollback);
            }
            if (!go) {
                skip(view, "when is false: " + step.when(), null);
                return Flow.NEXT;
            }
        }
        String target;
        try {
            target = StepText.target(step, actions, renderer, plan.environment());
        } catch (ExpressionException e) {
            return failedBeforeRun(view, e.getMessage(), inRollback);
        }
        view = view(step, index, inRollback, target);
        op.step(view, plan);
        if (step.action() instanceof ActionSpec.Manual
                || step.action() instanceof ActionSpec.Input
                || step.action() instanceof ActionSpec.Choose) {
            return operatorSteps.run(view);
        }
        if (plan.mode() == Mode.INTERACTIVE) {
            Flow asked = operatorSteps.askToRun(view);
            if (asked != null) {
                return asked;
            }
        } else if (step.dangerous() && !plan.allowDangerous()) {
            return failedBeforeRun(
                    view,
                    "refused: step '" + step.id() + "' is dangerous and the run is unattended"
                            + " (give --allow-dangerous to run it)",
                    inRollback);
        }
        return attempts(view, inRollback);
    }

    StepView view(Step step, int index, boolean inRollback, String target) {
        int total = inRollback
                ? plan.runbook().rollback().size()
                : plan.runbook().steps().size();
        return new StepView(step, index + 1, total, inRollback, target, elapsed(), StepText.display(renderer));
    }

    /** Records a skipped step: its decision (when an operator or the mode decided) and its result. */
    void skip(StepView view, String reason, String decisionReason) {
        if (decisionReason != null) {
            decision(view.step(), "skip", decisionReason);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("reason", reason);
        append(Events.STEP_FINISHED, finished(view.step(), 0, "skipped", 0, result, null));
        Map<String, Object> scopeResult = new LinkedHashMap<>();
        scopeResult.put("status", "skipped");
        scopeResult.put("outcome", "skipped");
        plan.scope().putStep(view.step().id(), scopeResult);
        op.skipped(view, reason);
    }

    void decision(Step step, String choice, String reason) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("step", step.id());
        f.put("choice", choice);
        f.put("reason", reason);
        append(Events.OPERATOR_DECISION, f);
        responded();
    }

    void note(Step step, String text) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("text", text);
        if (step != null) {
            f.put("step", step.id());
        }
        append(Events.NOTE, f);
    }

    static Map<String, Object> finished(
            Step step, int attempt, String status, long ms, Map<String, Object> result, String error) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("step", step.id());
        f.put("attempt", attempt);
        f.put("status", status);
        f.put("duration_ms", ms);
        f.put("result", Truncate.value(result));
        f.put("error", error);
        return f;
    }

    /** A step that fails before its action runs (a template, a refusal): logged, then on_failure. */
    private Flow failedBeforeRun(StepView view, String error, boolean inRollback) throws Interrupted {
        Step step = view.step();
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("step", step.id());
        start.put("attempt", 1);
        start.put("action", step.action().key());
        start.put("target", null);
        append(Events.STEP_STARTED, start);
        append(Events.STEP_FINISHED, finished(step, 1, "failed", 0, Map.of(), error));
        publish(step, Map.of(), "failed");
        op.attemptFinished(view, 1, "failed", Duration.ZERO, error, Map.of());
        return afterFailure(view, error, inRollback, false);
    }

    void publish(Step step, Map<String, Object> fields, String status) {
        Map<String, Object> r = new LinkedHashMap<>(fields);
        r.putIfAbsent("status", status);
        r.put("outcome", status);
        plan.scope().putStep(step.id(), r);
    }

    /** The attempts of an executor step, then what follows its success or failure. */
    private Flow attempts(StepView view, boolean inRollback) throws Interrupted {
        Step step = view.step();
        int attempt = 0;
        while (true) {
            String error = null;
            boolean ok = false;
            for (int k = 0; k < step.retry().attempts(); k++) {
                if (k > 0) {
                    Duration d = step.retry().delay();
                    op.info("retrying '" + step.id() + "' in " + Durations.format(d) + " (attempt " + (k + 1) + "/"
                            + step.retry().attempts() + ")");
                    sleep(d);
                }
                attempt++;
                error = attempts.run(view, attempt, step.retry().attempts());
                ok = error == null;
                if (ok) {
                    break;
                }
            }
            if (ok) {
                return onSuccess(step);
            }
            Flow f = afterFailure(view, error, inRollback, true);
            if (f != null) {
                return f;
            }
        }
    }

    private Flow onSuccess(Step step) {
        String s = step.onSuccess();
        if (s.equals(Step.NEXT)) {
            return Flow.NEXT;
        }
        return s.equals(Step.END) ? Flow.END : Flow.to(s);
    }

    /**
     * What follows a failed step: the operator's answer in interactive mode, the runbook's
     * {@code on_failure} otherwise.
     *
     * @return the flow, or null to retry (only when retryable)
     */
    private Flow afterFailure(StepView view, String error, boolean inRollback, boolean retryable) throws Interrupted {
        Step step = view.step();
        if (plan.mode() == Mode.INTERACTIVE) {
            while (true) {
                Answer a = op.askAfterFailure(view, error);
                checkInterrupted();
                switch (a.kind()) {
                    case NOTE -> note(step, a.text());
                    case RETRY -> {
                        decision(step, "retry", "operator");
                        if (retryable) {
                            return null;
                        }
                        op.info("this step cannot be retried: it failed before running");
                    }
                    case SKIP -> {
                        decision(step, "skip", "operator");
                        return Flow.NEXT;
                    }
                    case ABORT -> {
                        decision(step, "abort", "operator");
                        return Flow.ABORT;
                    }
                    case ROLLBACK -> {
                        if (inRollback) {
                            op.info("already rolling back");
                            continue;
                        }
                        decision(step, "rollback", "operator");
                        return Flow.rollback("operator after step '" + step.id() + "' failed");
                    }
                    default -> {
                        Flow f = onFailure(step, error, inRollback);
                        decision(step, choiceOf(f), "operator followed on_failure: " + step.onFailure());
                        return f;
                    }
                }
            }
        }
        return onFailure(step, error, inRollback);
    }

    private static String choiceOf(Flow f) {
        return switch (f.kind()) {
            case NEXT -> "skip";
            case GOTO -> "goto:" + f.target();
            case ROLLBACK -> "rollback";
            default -> "abort";
        };
    }

    private Flow onFailure(Step step, String error, boolean inRollback) {
        String of = step.onFailure();
        if (of.equals(Step.CONTINUE)) {
            return Flow.NEXT;
        }
        if (of.equals(Step.ROLLBACK)) {
            return inRollback ? Flow.FAIL : Flow.rollback("step '" + step.id() + "' failed: " + error);
        }
        if (of.equals(Step.ABORT)) {
            op.info("step '" + step.id() + "' failed; on_failure: abort");
            return Flow.FAIL;
        }
        return inRollback ? Flow.FAIL : Flow.to(of);
    }

    private void sleep(Duration d) throws Interrupted {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            throw new Interrupted();
        }
    }

    Renderer renderer() {
        return renderer;
    }
}
