package dev.runbook.engine;

import dev.runbook.action.Resources;
import dev.runbook.journal.Event;
import dev.runbook.journal.JournalWriter;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.DecisionChoice;
import dev.runbook.model.Durations;
import dev.runbook.model.FlowTarget;
import dev.runbook.model.Outcome;
import dev.runbook.model.Phase;
import dev.runbook.model.Runbook;
import dev.runbook.model.Step;
import dev.runbook.model.StepStatus;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Renderer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Walks a runbook (design notes, "Engine"): steps in order, {@code when}, {@code retry},
 * {@code timeout}, {@code expect}/{@code check}, {@code on_failure}/{@code on_success},
 * {@code choose} branches, the rollback section, the SLA clock, and the operator's
 * decisions in interactive mode; every event goes to the journal before the action it
 * announces (contract, "The incident log"). One engine runs one incident.
 *
 * <p>The engine only decides where the walk goes. Everything it writes goes through one
 * {@link Recorder}; a step's attempts are {@link Attempts}, the operator's steps and prompts
 * {@link OperatorSteps}; neither calls back into the engine.
 */
public final class Engine {

    /** Step runs allowed in one incident before the run is stopped as a loop. */
    static final int MAX_STEP_RUNS = 1000;

    private final Plan plan;
    private final Operator op;
    private final JournalWriter journal;
    private final Actions actions;
    private final Instant start;
    private final Resources resources = new Resources();
    private final Renderer renderer;
    private final Interruption stop = new Interruption();
    private final Recorder rec;
    private dev.runbook.approval.ApprovalSource approvalSource;
    private dev.runbook.signing.AllowedSigners signers;
    private byte[] runnerKey;
    private final OperatorSteps operatorSteps;
    private final Attempts attempts;
    private final Broadcast broadcast;
    private volatile ChildRuns children;
    /** How deep child incidents may nest (a runbook run directly from a file is not checked for cycles). */
    static final int MAX_DEPTH = 5;

    private int stepRuns;
    /** Attempts a resumed step made before the stop: its next attempt numbers on from there. */
    private int priorAttempts;

    private Crash crash;
    private volatile Verification verification = Verification.NOT_RUN;

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
        this.start = start;
        this.renderer = new Renderer(plan.scope().toMap(), plan.masker(), false);
        this.rec = new Recorder(plan, journal, clock, start);
        this.operatorSteps = new OperatorSteps(rec, stop, plan, op, renderer);
        this.attempts = new Attempts(rec, stop, plan, op, actions, resources, renderer);
        this.broadcast = new Broadcast(plan, rec, op, renderer, start, clock, journal.incidentId());
        Opened.scope(plan, journal.incidentId(), start);
    }

    /**
     * Runs the incident to its end and closes the log.
     *
     * @return the outcome (its exit code per the contract)
     */
    public Outcome run() {
        stop.walking();
        rec.open(false, java.util.Set.of(), broadcast::breached);
        op.opened(plan, journal.incidentId(), journal.path());
        broadcast.start(java.util.Set.of(), false);
        return drive(() -> {
            int first = 0;
            if (plan.startAt() != null) {
                first = plan.runbook().indexOf(plan.startAt());
                rec.note(
                        null,
                        "started at step '" + plan.startAt() + "' (--start-at): "
                                + (first == 1 ? "the step before it was" : "the " + first + " steps before it were")
                                + " done by hand");
                op.info("→ starting at step '" + plan.startAt() + "' (--start-at)");
            }
            return walk(first, null);
        });
    }

    /**
     * Continues an unfinished or interrupted incident in its reopened log (docs/format.md,
     * "Resume and hand-off"), then closes it: writes {@code incident.resumed} and the notes,
     * restores every finished step's result, decides the in-flight step, and walks on from the
     * point the log shows.
     *
     * @param r what the log says ({@link Resumption#of})
     * @param inFlight what becomes of the in-flight step; null to ask the operator (interactive)
     * @param from a main step to go on from instead ({@code --from}); null for the log's point
     * @param notes lines to record after {@code incident.resumed} (a torn line cut, a changed runbook)
     * @return the outcome (its exit code per the contract)
     */
    public Outcome resume(Resumption r, InFlightChoice inFlight, String from, List<String> notes) {
        stop.walking();
        r.results().forEach((id, result) -> rec.restore(id, result, r.statuses().get(id)));
        Resumption.Point point = from == null
                ? r.point()
                : new Resumption.At(Phase.STEPS, plan.runbook().indexOf(from));
        rec.record(new Event.IncidentResumed(
                plan.operator(),
                plan.host(),
                r.previousOperator(),
                r.lastSeq(),
                r.stopped() + "; goes on at " + describe(point)));
        notes.forEach(n -> rec.note(null, n));
        rec.severity(r.severity() == null ? plan.runbook().severity() : r.severity());
        rec.open(r.responded(), r.breached(), broadcast::breached);
        op.opened(plan, journal.incidentId(), journal.path());
        broadcast.start(r.escalated(), true);
        op.info("↻ resumed from " + r.previousOperator() + " (" + r.stopped() + "); going on at " + describe(point));
        return drive(() -> {
            Resumption.Point at = point;
            if (r.inFlight() != null) {
                at = inFlight(r, inFlight, from == null ? null : at);
            }
            return from(at, r);
        });
    }

    /** A point, as the log and the console name it. */
    private String describe(Resumption.Point p) {
        if (p instanceof Resumption.At a) {
            List<Step> section = a.phase() == Phase.ROLLBACK
                    ? plan.runbook().rollback()
                    : plan.runbook().steps();
            return a.index() < section.size()
                    ? "step '" + section.get(a.index()).id() + "'" + (a.phase() == Phase.ROLLBACK ? " (rollback)" : "")
                    : "the end of the " + (a.phase() == Phase.ROLLBACK ? "rollback section" : "walk");
        }
        if (p instanceof Resumption.AfterFailure f) {
            return "the failure of step '" + stepAt(f.phase(), f.index()).id() + "'";
        }
        if (p instanceof Resumption.StartRollback) {
            return "the rollback section";
        }
        if (p instanceof Resumption.Verify) {
            return "the verify section";
        }
        return "the close (" + ((Resumption.Close) p).outcome().logName() + ")";
    }

    private Step stepAt(Phase phase, int index) {
        return (phase == Phase.ROLLBACK
                        ? plan.runbook().rollback()
                        : plan.runbook().steps())
                .get(index);
    }

    /**
     * Decides the step whose outcome is unknown, logs the choice, and returns where the walk goes.
     *
     * @param override the point of {@code --from}, which decides it: the step is left, failed
     */
    private Resumption.Point inFlight(Resumption r, InFlightChoice preset, Resumption.Point override)
            throws Interruption.Interrupted {
        Resumption.InFlight f = r.inFlight();
        Step step = f.step();
        if (f.phase() == Phase.VERIFY || override != null) {
            if (!f.closedByStop()) {
                rec.finished(step, f.attempt(), StepStatus.FAILED, 0, Map.of(), Resumption.UNKNOWN);
            }
            return override != null ? override : r.point();
        }
        StepView view = view(step, f.index(), f.phase(), f.target());
        InFlightChoice c = preset;
        while (c == null) {
            c = op.askInFlight(view, f.since());
            stop.check();
            String refused = c == InFlightChoice.DONE ? r.cannotMarkDone(plan.runbook()) : null;
            if (refused != null) {
                op.info("cannot mark it done: " + refused);
                c = null;
            }
        }
        String why = "resume: in-flight step (outcome unknown) ";
        switch (c) {
            case RERUN -> {
                if (!f.closedByStop()) {
                    rec.finished(step, f.attempt(), StepStatus.FAILED, 0, Map.of(), Resumption.UNKNOWN);
                }
                rec.decision(step, DecisionChoice.RETRY, null, why + "re-run by " + plan.operator());
                priorAttempts = f.attempt();
                return new Resumption.At(f.phase(), f.index());
            }
            case DONE -> {
                rec.decision(step, DecisionChoice.DONE, null, why + "marked done by " + plan.operator());
                Map<String, Object> result = new java.util.LinkedHashMap<>();
                result.put("marked_done_by", plan.operator());
                rec.finished(step, f.attempt(), StepStatus.SUCCEEDED, 0, result, null);
                return Resumption.afterSuccess(plan.runbook(), f.phase(), f.index(), step, result);
            }
            case SKIP -> {
                rec.decision(step, DecisionChoice.SKIP, null, why + "skipped by " + plan.operator());
                Map<String, Object> result = new java.util.LinkedHashMap<>();
                result.put("reason", "in flight when the run stopped; skipped on resume");
                rec.finished(step, f.closedByStop() ? 0 : f.attempt(), StepStatus.SKIPPED, 0, result, null);
                return new Resumption.At(f.phase(), f.index() + 1);
            }
            default -> {
                if (!f.closedByStop()) {
                    rec.finished(step, f.attempt(), StepStatus.FAILED, 0, Map.of(), Resumption.UNKNOWN);
                }
                rec.decision(step, DecisionChoice.ABORT, null, why + "aborted by " + plan.operator());
                return new Resumption.Close(Outcome.ABORTED);
            }
        }
    }

    /** Walks on from a point of a resumed incident. */
    private Outcome from(Resumption.Point at, Resumption r) throws Interruption.Interrupted, Crash {
        String reason = r.rollbackReason() == null ? "resumed" : r.rollbackReason();
        if (at instanceof Resumption.At a) {
            return a.phase() == Phase.ROLLBACK ? rollback(reason, a.index(), false, null) : walk(a.index(), null);
        }
        if (at instanceof Resumption.AfterFailure f) {
            boolean inRollback = f.phase() == Phase.ROLLBACK;
            Step step = stepAt(f.phase(), f.index());
            op.info("step '" + step.id() + "' had failed: " + f.error());
            priorAttempts = r.attempts().getOrDefault(step.id(), 0);
            Flow next = afterFailure(view(step, f.index(), f.phase(), null), f.error(), inRollback, true);
            return inRollback ? rollback(reason, f.index(), false, next) : walk(f.index(), next);
        }
        if (at instanceof Resumption.StartRollback s) {
            return rollback(s.reason(), 0, true, null);
        }
        if (at instanceof Resumption.Verify v) {
            return v.reached();
        }
        return ((Resumption.Close) at).outcome();
    }

    /** The body of a run: the walk, then the verify section; its end as an outcome. */
    private interface Walk {
        Outcome walk() throws Interruption.Interrupted, Crash;
    }

    private Outcome drive(Walk body) {
        Outcome outcome;
        try {
            outcome = body.walk();
            if (outcome == Outcome.RESOLVED || outcome == Outcome.ROLLED_BACK) {
                outcome = verify(outcome);
            }
        } catch (Interruption.Interrupted e) {
            outcome = Outcome.INTERRUPTED;
        } catch (JournalWriter.JournalFailedException e) {
            // the log cannot be written: stop before the next action (the event is in the fallback)
            outcome = Outcome.FAILED;
        } catch (Crash e) {
            crash = e;
            outcome = Outcome.FAILED;
        } catch (RuntimeException e) {
            crash = new Crash(null, e);
            outcome = Outcome.FAILED;
        } finally {
            stop.running(null);
            resources.close();
        }
        return close(outcome);
    }

    /** Runs the child incidents of {@code runbook:} steps; without it, such a step fails. */
    public void childRuns(ChildRuns c) {
        this.children = c;
    }

    /**
     * Where approvals come from and whom to believe (docs/team.md, "Approvals").
     *
     * @param source the store or the terminal; null: an unattended run without a store (a step
     *     that needs approval then fails)
     * @param signers the library's allowed_signers; null when there is none (steps with {@code
     *     approval:} then fail; dangerous steps in protected environments need none)
     * @param runnerKey the runner's signing key (SSH wire blob): an approval signed with it is a
     *     self-approval; null when the run has none
     */
    public void approvals(
            dev.runbook.approval.ApprovalSource source, dev.runbook.signing.AllowedSigners signers, byte[] runnerKey) {
        this.approvalSource = source;
        this.signers = signers;
        this.runnerKey = runnerKey == null ? null : runnerKey.clone();
    }

    /** The texts of the updates posted to the runbook's {@code updates} channel (the seeds' templates). */
    public void updateTexts(UpdateText t) {
        broadcast.texts(t);
    }

    /** The bug that stopped the walk, if one did (then the outcome is {@code failed}). */
    public java.util.Optional<Crash> crash() {
        return java.util.Optional.ofNullable(crash);
    }

    /**
     * A stop signal (Ctrl-C, SIGTERM, SIGHUP): stops the running step (its process group killed,
     * its remote command ended, its statement cancelled) and makes the run end {@code
     * interrupted}. Safe from any thread.
     */
    public void interrupt(StopSignal why) {
        stop.request(why);
    }

    /** The signal that stopped the run, if one did. */
    public java.util.Optional<StopSignal> stoppedBy() {
        return stop.requested() ? java.util.Optional.of(stop.signal()) : java.util.Optional.empty();
    }

    /**
     * Closes the log with {@code outcome} unless it is closed already (the Ctrl-C path
     * calls this from the signal thread when the walk is stuck reading a prompt).
     *
     * @return the outcome
     */
    public Outcome close(Outcome outcome) {
        String openError = outcome == Outcome.INTERRUPTED ? stop.stepError() : "not finished";
        Verification v = verification;
        broadcast.close(outcome, v.verified());
        if (rec.close(outcome, openError, crash == null ? null : crash.getMessage(), v.verified())
                && journal.failure() == null) {
            op.closed(new Closing(outcome, rec.elapsed(), journal.path(), v, rec.failedSteps()));
        }
        return outcome;
    }

    /** What the verify section said (not run until the walk reached its end or a rollback completed). */
    public Verification verification() {
        return verification;
    }

    /**
     * The resolution checks (docs/format.md, "verify"), run when the walk reached its end or a
     * rollback completed: in order, each with its own {@code when}, {@code retry} and checks,
     * never asking the operator; the first check that still fails after its last attempt ends
     * them. A reached end stays {@code resolved} only when every check passes, else it is
     * {@code unresolved}; a completed rollback stays {@code rolled_back}, else it is {@code failed}.
     */
    private Outcome verify(Outcome reached) throws Interruption.Interrupted, Crash {
        List<Step> checks = plan.runbook().verify();
        if (checks.isEmpty()) {
            verification = Verification.NONE;
            return reached;
        }
        op.info("✔ verify: " + checks.size() + (checks.size() == 1 ? " check" : " checks")
                + " decide whether the service is restored");
        for (int i = 0; i < checks.size(); i++) {
            stop.check();
            Step step = checks.get(i);
            String error = check(step, i);
            if (error != null) {
                verification = Verification.failed(step.id(), error);
                return reached == Outcome.RESOLVED ? Outcome.UNRESOLVED : Outcome.FAILED;
            }
        }
        verification = Verification.PASSED;
        return reached;
    }

    /** One resolution check: null when it passed (or its {@code when} skipped it), else its last error. */
    private String check(Step step, int index) throws Interruption.Interrupted, Crash {
        StepView view = view(step, index, Phase.VERIFY, null);
        if (step.when() != null) {
            try {
                if (!renderer.test(step.when())) {
                    operatorSteps.skip(view, "when is false: " + step.when(), null);
                    return null;
                }
            } catch (ExpressionException e) {
                rec.started(step, 1, null);
                rec.finished(step, 1, StepStatus.FAILED, 0, Map.of(), "when: " + e.getMessage());
                return "when: " + e.getMessage();
            }
        }
        try {
            view = view(step, index, Phase.VERIFY, StepText.target(step, actions, renderer, plan.environment()));
        } catch (ExpressionException e) {
            rec.started(step, 1, null);
            rec.finished(step, 1, StepStatus.FAILED, 0, Map.of(), e.getMessage());
            op.attemptFinished(view, 1, StepStatus.FAILED, Duration.ZERO, e.getMessage(), Map.of());
            return e.getMessage();
        }
        op.step(view, plan);
        if (!operatorSteps.mayCheck(view)) {
            rec.started(step, 1, view.target());
            rec.finished(step, 1, StepStatus.SKIPPED, 0, Map.of(), "not confirmed: the check did not run");
            return "not confirmed: the check did not run";
        }
        return tries(view, 0);
    }

    /**
     * The main walk from step {@code i}.
     *
     * @param pending what follows step {@code i}, already decided (a resumed failure); null to run it
     */
    private Outcome walk(int i, Flow pending) throws Interruption.Interrupted, Crash {
        List<Step> steps = plan.runbook().steps();
        while (pending != null || i < steps.size()) {
            Flow f = pending;
            pending = null;
            if (f == null) {
                stop.check();
                if (++stepRuns > MAX_STEP_RUNS) {
                    op.info("stopping: more than " + MAX_STEP_RUNS + " step runs (a goto loop?)");
                    rec.note(null, "stopped after " + MAX_STEP_RUNS + " step runs: the runbook's gotos loop");
                    return Outcome.FAILED;
                }
                f = runStep(steps.get(i), i, false);
                reclassify(steps.get(i));
            }
            if (f instanceof Flow.Next) {
                i++;
            } else if (f instanceof Flow.Goto g) {
                op.info("→ going to step '" + g.step() + "'");
                i = plan.runbook().indexOf(g.step());
            } else if (f instanceof Flow.Rollback r) {
                return rollback(r.reason(), 0, true, null);
            } else {
                return end(f);
            }
        }
        return Outcome.RESOLVED;
    }

    private static final java.util.regex.Pattern SEVERITY = java.util.regex.Pattern.compile("\\bP[1-4]\\b");

    /**
     * A step with {@code severity:} that succeeded re-classifies the incident (docs/format.md,
     * "Severity changes"): its template rendered, the first P1..P4 in it; none is noted, not guessed.
     */
    private void reclassify(Step step) {
        if (step.severity() == null || rec.status(step.id()) != StepStatus.SUCCEEDED) {
            return;
        }
        String text;
        try {
            text = renderer.text(step.severity()).text();
        } catch (ExpressionException e) {
            rec.note(step, "severity not changed: " + e.getMessage());
            op.info("severity not changed: " + e.getMessage());
            return;
        }
        java.util.regex.Matcher m = SEVERITY.matcher(text);
        if (!m.find()) {
            rec.note(step, "severity not changed: '" + text + "' names no severity P1..P4");
            op.info("severity not changed: '" + text + "' names no severity P1..P4");
            return;
        }
        dev.runbook.model.Severity from = rec.severity();
        dev.runbook.model.Severity to = dev.runbook.model.Severity.valueOf(m.group());
        if (rec.reclassify(step, to)) {
            dev.runbook.model.Sla t = plan.runbook().sla().of(to);
            op.info("⚑ severity " + from + " → " + to + " (step '" + step.id() + "')"
                    + (t.resolve() == null ? "" : "; SLA resolve now " + Durations.format(t.resolve())));
        }
    }

    private static Outcome end(Flow f) {
        if (f instanceof Flow.End) {
            return Outcome.RESOLVED;
        }
        return f instanceof Flow.Aborted ? Outcome.ABORTED : Outcome.FAILED;
    }

    /**
     * The rollback section, in order (docs/format.md): a failed step whose flow stops the
     * section (abort, the default) ends the run {@code failed}; {@code continue} goes on; a
     * section that completes ends {@code rolled_back}.
     */
    private Outcome rollback(String reason, int from, boolean announce, Flow pending)
            throws Interruption.Interrupted, Crash {
        Runbook rb = plan.runbook();
        if (announce) {
            rec.record(new Event.RollbackStarted(reason));
            op.info("↩ rollback: " + reason);
        }
        boolean completed = true;
        for (int i = from; i < rb.rollback().size(); i++) {
            Flow f = i == from ? pending : null;
            if (f == null) {
                stop.check();
                f = runStep(rb.rollback().get(i), i, true);
                reclassify(rb.rollback().get(i));
            }
            if (f instanceof Flow.Failed || f instanceof Flow.Aborted) {
                completed = false;
                break;
            }
            if (f instanceof Flow.End) {
                break;
            }
        }
        rec.record(new Event.RollbackFinished(completed ? StepStatus.SUCCEEDED : StepStatus.FAILED));
        return completed ? Outcome.ROLLED_BACK : Outcome.FAILED;
    }

    /** Runs one step with its prompts, attempts and branching. */
    private Flow runStep(Step step, int index, boolean inRollback) throws Interruption.Interrupted, Crash {
        Phase phase = inRollback ? Phase.ROLLBACK : Phase.STEPS;
        StepView view = view(step, index, phase, null);
        if (step.when() != null) {
            boolean go;
            try {
                go = renderer.test(step.when());
            } catch (ExpressionException e) {
                return failedBeforeRun(view, "when: " + e.getMessage(), inRollback);
            }
            if (!go) {
                operatorSteps.skip(view, "when is false: " + step.when(), null);
                return Flow.NEXT;
            }
        }
        String target;
        try {
            target = StepText.target(step, actions, renderer, plan.environment());
        } catch (ExpressionException e) {
            return failedBeforeRun(view, e.getMessage(), inRollback);
        }
        view = view(step, index, phase, target);
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
        dev.runbook.model.Approval rule = ApprovalWait.rule(step, plan, signers);
        if (rule != null) {
            String refused = new ApprovalWait(
                            plan, op, rec, stop, journal.incidentId(), approvalSource, signers, runnerKey)
                    .await(step, rule, target, priorAttempts + 1);
            if (refused != null) {
                return failedBeforeRun(view, refused, inRollback);
            }
        }
        if (step.action() instanceof ActionSpec.Call call) {
            return call(view, call, inRollback);
        }
        return attempts(view, inRollback);
    }

    /**
     * A {@code runbook:} step: the called runbook runs as a child incident; the step succeeds when the
     * child ends {@code resolved}, with the child's incident id, outcome and verification as its
     * result. A child stopped by a signal stops this run too.
     */
    private Flow call(StepView view, ActionSpec.Call call, boolean inRollback) throws Interruption.Interrupted, Crash {
        Step step = view.step();
        int attempt = priorAttempts;
        priorAttempts = 0;
        while (true) {
            attempt++;
            stop.check();
            rec.started(step, attempt, view.target());
            op.attemptStarted(view, attempt, 1);
            java.time.Instant t0 = rec.now();
            Map<String, Object> result = new java.util.LinkedHashMap<>();
            String error;
            int depth = plan.parent() == null ? 1 : plan.parent().depth() + 1;
            if (children == null) {
                error = "runbook steps need a library: this run cannot start child incidents";
            } else if (depth > MAX_DEPTH) {
                error = "child incidents nest deeper than " + MAX_DEPTH + ": a runbook calls itself?";
            } else {
                Map<String, String> inputs = new java.util.LinkedHashMap<>();
                try {
                    for (Map.Entry<String, String> in : call.inputs().entrySet()) {
                        inputs.put(in.getKey(), renderer.text(in.getValue()).text());
                    }
                } catch (ExpressionException e) {
                    return failedBeforeRun(view, e.getMessage(), inRollback);
                }
                ChildRuns.Result r =
                        children.run(plan, call.id(), inputs, new Plan.Parent(journal.incidentId(), step.id(), depth));
                result.put("incident", r.incident());
                result.put(
                        "child_outcome",
                        r.outcome() == null ? null : r.outcome().logName());
                result.put("verified", r.verified());
                error = r.error() != null
                        ? r.error()
                        : r.outcome() == Outcome.RESOLVED
                                ? null
                                : "child incident " + r.incident() + " ended "
                                        + r.outcome().logName();
                if (r.outcome() == Outcome.INTERRUPTED) {
                    rec.finished(step, attempt, StepStatus.FAILED, 0, result, error);
                    stop.request(StopSignal.INT);
                    stop.check();
                }
            }
            StepStatus status = error == null ? StepStatus.SUCCEEDED : StepStatus.FAILED;
            Duration took = Duration.between(t0, rec.now());
            rec.finished(step, attempt, status, took.toMillis(), result, error);
            op.attemptFinished(view, attempt, status, took, error, result);
            if (error == null) {
                return onSuccess(step.onSuccess());
            }
            Flow f = afterFailure(view, error, inRollback, true);
            if (f != null) {
                return f;
            }
        }
    }

    private StepView view(Step step, int index, Phase phase, String target) {
        int total = switch (phase) {
            case STEPS -> plan.runbook().steps().size();
            case ROLLBACK -> plan.runbook().rollback().size();
            case VERIFY -> plan.runbook().verify().size();
        };
        return new StepView(step, index + 1, total, phase, target, rec.elapsed(), StepText.display(renderer));
    }

    /** A step that fails before its action runs (a template, a refusal): logged, then on_failure. */
    private Flow failedBeforeRun(StepView view, String error, boolean inRollback)
            throws Interruption.Interrupted, Crash {
        Step step = view.step();
        rec.started(step, 1, null);
        rec.finished(step, 1, StepStatus.FAILED, 0, Map.of(), error);
        op.attemptFinished(view, 1, StepStatus.FAILED, Duration.ZERO, error, Map.of());
        return afterFailure(view, error, inRollback, false);
    }

    /** The attempts of an executor step, then what follows its success or failure. */
    private Flow attempts(StepView view, boolean inRollback) throws Interruption.Interrupted, Crash {
        Step step = view.step();
        int attempt = priorAttempts;
        priorAttempts = 0;
        while (true) {
            String error = tries(view, attempt);
            if (error == null) {
                return onSuccess(step.onSuccess());
            }
            attempt += step.retry().attempts();
            Flow f = afterFailure(view, error, inRollback, true);
            if (f != null) {
                return f;
            }
        }
    }

    /**
     * The step's {@code retry.attempts} attempts, {@code retry.delay} apart, until one succeeds.
     *
     * @param before attempts already made (an operator's retry numbers on from there)
     * @return null when an attempt succeeded, else the last attempt's error
     */
    private String tries(StepView view, int before) throws Interruption.Interrupted, Crash {
        Step step = view.step();
        String error = null;
        for (int k = 0; k < step.retry().attempts(); k++) {
            if (k > 0) {
                Duration d = step.retry().delay();
                op.info("retrying '" + step.id() + "' in " + Durations.format(d) + " (attempt " + (k + 1) + "/"
                        + step.retry().attempts() + ")");
                // the countdown, on a terminal (a transient status, second by second)
                for (long left = d.toMillis(); left > 0; left -= 1000) {
                    op.progress("retry of '" + step.id() + "' in " + Durations.format(Duration.ofMillis(left)));
                    stop.sleep(Math.min(1000, left));
                }
            }
            error = attempts.run(view, before + k + 1, step.retry().attempts());
            if (error == null) {
                return null;
            }
        }
        return error;
    }

    private static Flow onSuccess(FlowTarget t) {
        if (t instanceof FlowTarget.Goto g) {
            return new Flow.Goto(g.step());
        }
        return t instanceof FlowTarget.End ? Flow.END : Flow.NEXT;
    }

    /**
     * What follows a failed step: the operator's answer in interactive mode, the runbook's
     * {@code on_failure} otherwise.
     *
     * @return the flow, or null to retry (only when retryable)
     */
    private Flow afterFailure(StepView view, String error, boolean inRollback, boolean retryable)
            throws Interruption.Interrupted, Crash {
        Step step = view.step();
        if (plan.mode() != Mode.INTERACTIVE) {
            return onFailure(step, error, inRollback);
        }
        while (true) {
            Answer a = op.askAfterFailure(view, error);
            stop.check();
            switch (a.kind()) {
                case NOTE -> rec.note(step, a.text());
                case RETRY -> {
                    rec.decision(step, DecisionChoice.RETRY, null, "operator");
                    if (retryable) {
                        return null;
                    }
                    op.info("this step cannot be retried: it failed before running");
                }
                case SKIP -> {
                    rec.decision(step, DecisionChoice.SKIP, null, "operator");
                    return Flow.NEXT;
                }
                case ABORT -> {
                    rec.decision(step, DecisionChoice.ABORT, null, "operator");
                    return Flow.ABORT;
                }
                case ROLLBACK -> {
                    if (inRollback) {
                        op.info("already rolling back");
                        continue;
                    }
                    rec.decision(step, DecisionChoice.ROLLBACK, null, "operator");
                    return new Flow.Rollback("operator after step '" + step.id() + "' failed");
                }
                default -> {
                    Flow f = onFailure(step, error, inRollback);
                    String reason =
                            "operator followed on_failure: " + step.onFailure().text();
                    if (f instanceof Flow.Goto g) {
                        rec.decision(step, DecisionChoice.GOTO, g.step(), reason);
                    } else {
                        rec.decision(step, choiceOf(f), null, reason);
                    }
                    return f;
                }
            }
        }
    }

    private static DecisionChoice choiceOf(Flow f) {
        if (f instanceof Flow.Next) {
            return DecisionChoice.SKIP;
        }
        return f instanceof Flow.Rollback ? DecisionChoice.ROLLBACK : DecisionChoice.ABORT;
    }

    private Flow onFailure(Step step, String error, boolean inRollback) {
        FlowTarget of = step.onFailure();
        if (of instanceof FlowTarget.Continue) {
            return Flow.NEXT;
        }
        if (of instanceof FlowTarget.Rollback) {
            return inRollback ? Flow.FAIL : new Flow.Rollback("step '" + step.id() + "' failed: " + error);
        }
        if (of instanceof FlowTarget.Goto g && !inRollback) {
            return new Flow.Goto(g.step());
        }
        if (of instanceof FlowTarget.Abort) {
            op.info("step '" + step.id() + "' failed; on_failure: abort");
        }
        return Flow.FAIL;
    }
}
