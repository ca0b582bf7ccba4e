package dev.runbook.engine;

import dev.runbook.journal.Event;
import dev.runbook.journal.JournalWriter;
import dev.runbook.model.DecisionChoice;
import dev.runbook.model.Outcome;
import dev.runbook.model.Phase;
import dev.runbook.model.Step;
import dev.runbook.model.StepStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one writer of an incident's record: the journal, the {@code steps.<id>} scope and the
 * SLA clock's breaches, all under one lock, so that the walk, the Ctrl-C thread and the SLA
 * timer never interleave and nothing is written after {@code incident.closed}. It also keeps
 * the step that started and has not finished, so a close from another thread finishes it.
 */
final class Recorder {

    private final Plan plan;
    private final JournalWriter journal;
    private final Clock clock;
    private final Instant start;
    private final Object lock = new Object();
    private final Map<String, StepStatus> statuses = new HashMap<>();
    private boolean closed;
    private Event.StepStarted open;
    private SlaClock sla;
    private java.util.function.Consumer<Event.SlaBreached> onBreach = b -> {};
    private dev.runbook.model.Severity severity;

    /**
     * @param plan the run (its scope receives the step results)
     * @param journal the incident log, just created
     * @param clock timestamps and durations
     * @param start the incident's start
     */
    Recorder(Plan plan, JournalWriter journal, Clock clock, Instant start) {
        this.plan = plan;
        this.journal = journal;
        this.clock = clock;
        this.start = start;
    }

    /**
     * Starts the SLA clock (the log was created with {@code incident.opened}, or reopened).
     *
     * @param responded the responder acted already (a resumed incident)
     * @param breached the targets logged as breached already
     * @param onBreach told of each breach once it is logged (the banner)
     */
    void open(
            boolean responded,
            java.util.Set<String> breached,
            java.util.function.Consumer<Event.SlaBreached> onBreach) {
        synchronized (lock) {
            this.onBreach = onBreach;
            if (severity == null) {
                severity = plan.runbook().severity();
            }
            sla = new SlaClock(
                    plan.runbook().sla().of(severity),
                    start,
                    clock,
                    b -> {
                        if (record(b)) {
                            onBreach.accept(b);
                        }
                    },
                    responded,
                    breached);
        }
    }

    /** The incident's severity now (the runbook's, until a step re-classifies it). */
    dev.runbook.model.Severity severity() {
        synchronized (lock) {
            return severity == null ? plan.runbook().severity() : severity;
        }
    }

    /** The severity of a resumed incident, as its log left it (before {@link #open}). */
    void severity(dev.runbook.model.Severity s) {
        synchronized (lock) {
            severity = s;
            plan.scope().<Object>get("incident").put("severity", s.name());
        }
    }

    /**
     * Re-classifies the incident ({@code incident.severity_changed}): the scope's {@code
     * incident.severity}, and the SLA clock on the new severity's targets (from the incident's
     * start; a target breached already is not logged again).
     *
     * @return false when it has that severity already (nothing written)
     */
    boolean reclassify(Step step, dev.runbook.model.Severity to) {
        synchronized (lock) {
            dev.runbook.model.Severity from = severity();
            if (from == to || closed) {
                return false;
            }
            dev.runbook.model.Sla targets = plan.runbook().sla().of(to);
            Map<String, String> written = new LinkedHashMap<>();
            if (targets.respond() != null) {
                written.put("respond", dev.runbook.model.Durations.format(targets.respond()));
            }
            if (targets.resolve() != null) {
                written.put("resolve", dev.runbook.model.Durations.format(targets.resolve()));
            }
            record(new Event.IncidentSeverityChanged(from.name(), to.name(), step.id(), written));
            severity = to;
            plan.scope().<Object>get("incident").put("severity", to.name());
            if (sla != null) {
                SlaClock old = sla;
                old.stop();
                java.util.function.Consumer<Event.SlaBreached> listener = onBreach;
                sla = new SlaClock(
                        targets,
                        start,
                        clock,
                        b -> {
                            if (record(b)) {
                                listener.accept(b);
                            }
                        },
                        old.hasResponded(),
                        old.breached());
            }
            return true;
        }
    }

    /** Reads the run's scope under the lock (the clock's threads evaluate {@code unless} with it). */
    <T> T read(java.util.function.Supplier<T> reader) {
        synchronized (lock) {
            return reader.get();
        }
    }

    /** Restores a step's result as its log kept it ({@code runbook resume}), without logging it. */
    void restore(String stepId, Map<String, Object> result, StepStatus status) {
        synchronized (lock) {
            plan.scope().putStep(stepId, new LinkedHashMap<>(result));
            statuses.put(stepId, status);
        }
    }

    /**
     * Writes one event; nothing once the incident is closed.
     *
     * @return false when the incident was closed already and nothing was written
     */
    boolean record(Event e) {
        return append(e) > 0;
    }

    /**
     * Writes one event; nothing once the incident is closed.
     *
     * @return its {@code seq}, or -1 when the incident was closed already and nothing was written
     */
    long append(Event e) {
        synchronized (lock) {
            if (closed) {
                return -1;
            }
            if (e instanceof Event.StepStarted s) {
                open = s;
            } else if (e instanceof Event.StepFinished) {
                open = null;
            }
            return journal.append(e);
        }
    }

    /** {@code step.started}; the responder acted (SLA respond). */
    void started(Step step, int attempt, String target) {
        record(new Event.StepStarted(step.id(), attempt, step.action().key(), target, phase(step)));
        responded();
    }

    /**
     * {@code step.finished} with the result truncated, and the result published as
     * {@code steps.<id>.*} with {@code outcome} (and {@code status} unless the action set one).
     */
    void finished(Step step, int attempt, StepStatus status, long ms, Map<String, Object> result, String error) {
        synchronized (lock) {
            // mask first, then truncate: a cut never leaves the start of a secret
            @SuppressWarnings("unchecked")
            Map<String, Object> masked = (Map<String, Object>) plan.masker().maskValue(result);
            record(new Event.StepFinished(step.id(), attempt, status, ms, truncated(masked), error, phase(step)));
            publish(step, result, status);
        }
    }

    /** The step's section as logged: null for the main walk. */
    private Phase phase(Step step) {
        Phase p = plan.runbook().phaseOf(step.id());
        return p == Phase.STEPS ? null : p;
    }

    /** Publishes a step's (partial) result without logging it: checks read it before the step finishes. */
    void publish(Step step, Map<String, Object> fields, StepStatus status) {
        synchronized (lock) {
            Map<String, Object> r = new LinkedHashMap<>(fields);
            r.putIfAbsent("status", status.wire());
            r.put("outcome", status.wire());
            plan.scope().putStep(step.id(), r);
            statuses.put(step.id(), status);
        }
    }

    /** The last status of a step, or null when it has not run. */
    StepStatus status(String stepId) {
        synchronized (lock) {
            return statuses.get(stepId);
        }
    }

    /**
     * Steps of the main walk whose last attempt failed or timed out (a walk that went on past
     * them with {@code on_failure: continue}, a goto or the operator's skip).
     */
    int failedSteps() {
        synchronized (lock) {
            return (int) statuses.entrySet().stream()
                    .filter(e -> plan.runbook().phaseOf(e.getKey()) == Phase.STEPS)
                    .filter(e -> e.getValue() == StepStatus.FAILED || e.getValue() == StepStatus.TIMED_OUT)
                    .count();
        }
    }

    /** {@code operator.decision}; the responder acted (SLA respond). */
    void decision(Step step, DecisionChoice choice, String target, String reason) {
        record(new Event.OperatorDecision(step.id(), choice.wire(target), reason));
        responded();
    }

    /** A {@code note}, about a step or (step null) the incident. */
    void note(Step step, String text) {
        record(new Event.Note(text, step == null ? null : step.id()));
    }

    private void responded() {
        SlaClock s;
        synchronized (lock) {
            s = sla;
        }
        if (s != null) {
            s.responded();
        }
    }

    /** Now, from the run's clock. */
    Instant now() {
        return clock.instant();
    }

    /** Time since the incident opened. */
    Duration elapsed() {
        return Duration.between(start, clock.instant());
    }

    /**
     * Closes the incident once: stops the SLA clock (a resolve target already passed is logged
     * first), finishes the open step as failed, writes {@code incident.closed}.
     *
     * @param outcome how it ended
     * @param openError the error of a step left open ("interrupted (Ctrl-C)")
     * @param error why the walk stopped when a bug stopped it (written as {@code error}); null
     *     otherwise
     * @param verified the verify section ran and passed
     * @return true when this call closed it; false when it was closed already
     */
    boolean close(Outcome outcome, String openError, String error, boolean verified) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            try {
                if (sla != null) {
                    sla.close();
                }
                if (open != null) {
                    record(new Event.StepFinished(
                            open.step(), open.attempt(), StepStatus.FAILED, 0, Map.of(), openError, open.phase()));
                }
                record(new Event.IncidentClosed(outcome, elapsed().toMillis(), error, verified));
            } catch (JournalWriter.JournalFailedException e) {
                // kept by the journal's fallback; the caller reports the failed log
            }
            closed = true;
            return true;
        }
    }

    private static Map<String, Object> truncated(Map<String, Object> result) {
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) Truncate.value(result);
        return t;
    }
}
