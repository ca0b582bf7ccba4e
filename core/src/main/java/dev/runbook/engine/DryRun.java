package dev.runbook.engine;

import dev.runbook.journal.Event;
import dev.runbook.journal.JournalWriter;
import dev.runbook.model.ActionSpec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --dry-run} (issue 2): shows the numbered plan with every template resolved (step
 * results as placeholders {@code <steps.x.y>}), touches nothing (no process, connection or
 * request), and writes a log in mode {@code dry-run}: each step as a {@code step.started}
 * with its resolved target and a {@code step.finished} {@code skipped} with
 * {@code result.dry_run = true}. Also used without a log by {@code runbook show}.
 */
public final class DryRun {

    private final Plan plan;
    private final Operator op;
    private final Actions actions;
    private final Renderer renderer;

    /**
     * @param plan a plan in mode dry-run
     * @param op where the plan is shown
     * @param actions the executors (only their {@code target()} is called)
     */
    public DryRun(Plan plan, Operator op, Actions actions) {
        this.plan = plan;
        this.op = op;
        this.actions = actions;
        this.renderer = new Renderer(plan.scope().toMap(), plan.masker(), true);
        Map<String, Object> inputs = plan.scope().get("inputs");
        for (Step s : allSteps()) {
            if (s.action() instanceof ActionSpec.Input in && !inputs.containsKey(in.name())) {
                inputs.put(
                        in.name(),
                        in.defaultValue() != null && !in.defaultValue().contains("${")
                                ? in.defaultValue()
                                : Renderer.placeholder("inputs." + in.name()));
            }
        }
    }

    private List<Step> allSteps() {
        List<Step> all = new java.util.ArrayList<>(plan.runbook().steps());
        all.addAll(plan.runbook().rollback());
        all.addAll(plan.runbook().verify());
        return all;
    }

    /**
     * Shows the plan and, when a journal is given, logs it.
     *
     * @param journal the dry-run's log, or null (for {@code runbook show})
     * @param clock timestamps and duration
     * @param start the log's start
     * @return {@link Outcome#RESOLVED} when every target resolved, else {@link Outcome#FAILED}
     */
    public Outcome run(JournalWriter journal, Clock clock, Instant start) {
        if (journal != null) {
            Opened.scope(plan, journal.incidentId(), start);
            op.opened(plan, journal.incidentId(), journal.path());
        } else {
            Map<String, Object> incident = plan.scope().get("incident");
            for (String field : dev.runbook.template.Scope.INCIDENT_FIELDS) {
                incident.put(field, Renderer.placeholder("incident." + field));
            }
            op.opened(plan, null, null);
        }
        boolean ok = section(plan.runbook().steps(), Phase.STEPS, journal);
        if (!plan.runbook().rollback().isEmpty()) {
            op.info("rollback section (runs when a step turns to rollback):");
            ok &= section(plan.runbook().rollback(), Phase.ROLLBACK, journal);
        }
        if (plan.runbook().verifies()) {
            op.info("verify section (runs at the end and after a rollback; resolved only when every check passes):");
            ok &= section(plan.runbook().verify(), Phase.VERIFY, journal);
        } else {
            op.info(Runbook.NOT_VERIFIED);
        }
        Outcome outcome = ok ? Outcome.RESOLVED : Outcome.FAILED;
        Duration took = Duration.between(start, clock.instant());
        if (journal != null) {
            journal.append(new Event.IncidentClosed(outcome, took.toMillis(), null, false));
        }
        if (journal != null) {
            op.info("");
            op.info(
                    ok
                            ? "Dry run: the plan is valid; nothing was executed. Log: " + journal.path()
                            : "Dry run: the plan is NOT valid (see ✗ above); nothing was executed. Log: "
                                    + journal.path());
        }
        return outcome;
    }

    private boolean section(List<Step> steps, Phase phase, JournalWriter journal) {
        boolean ok = true;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            String target;
            String error = null;
            try {
                target = StepText.target(s, actions, renderer, plan.environment());
            } catch (ExpressionException e) {
                target = null;
                error = e.getMessage();
                ok = false;
            }
            StepView view =
                    new StepView(s, i + 1, steps.size(), phase, target, Duration.ZERO, StepText.display(renderer));
            op.step(view, plan);
            if (error != null) {
                op.info("✗ " + s.at(s.action().key()) + ": step '" + s.id() + "': " + error);
            }
            if (journal != null) {
                Phase logged = phase == Phase.STEPS ? null : phase;
                journal.append(new Event.StepStarted(s.id(), 1, s.action().key(), target, logged));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("dry_run", true);
                journal.append(new Event.StepFinished(s.id(), 1, StepStatus.SKIPPED, 0, result, error, logged));
            }
        }
        return ok;
    }
}
