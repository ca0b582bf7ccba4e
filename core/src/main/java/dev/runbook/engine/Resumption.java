package dev.runbook.engine;

import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.FlowTarget;
import dev.runbook.model.Outcome;
import dev.runbook.model.Phase;
import dev.runbook.model.Runbook;
import dev.runbook.model.Step;
import dev.runbook.model.StepStatus;
import dev.runbook.template.Masker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where an unfinished incident goes on ({@code runbook resume}, docs/format.md "Resume and
 * hand-off"), read from its log alone: the point of the walk after the last thing the log says
 * happened (following the same branches: a step's {@code on_success}, a {@code choose}'s option,
 * the operator's decisions, the rollback section), the step whose attempt started and never
 * finished (its outcome unknown), and every finished step's result as logged, to rebuild the
 * {@code steps.<id>} scope.
 *
 * @param incidentId the incident
 * @param start when it opened (the SLA clock and {@code duration_ms} go on from there)
 * @param previousOperator who held it last (the opener, or the last {@code incident.resumed})
 * @param lastSeq the last event's {@code seq}
 * @param stopped how the last holder's run ended, as the log shows it
 * @param point where the walk goes on
 * @param inFlight the step whose outcome is unknown; null when none
 * @param results each finished step's last result as logged, with {@code status} and {@code
 *     outcome}, in log order
 * @param statuses each finished step's last status
 * @param attempts each step's highest attempt number
 * @param inputs the inputs of {@code incident.opened}, then of {@code input} steps (as logged)
 * @param responded a step started or a decision was taken (the SLA's respond target is met)
 * @param breached the SLA targets already logged as breached
 * @param rollbackReason why the rollback section started; null when it has not
 * @param escalated the escalation tiers the log shows as triggered (not fired again)
 * @param severity the last {@code incident.severity_changed}'s severity; null when unchanged
 */
public record Resumption(
        String incidentId,
        Instant start,
        String previousOperator,
        long lastSeq,
        String stopped,
        Point point,
        InFlight inFlight,
        Map<String, Map<String, Object>> results,
        Map<String, StepStatus> statuses,
        Map<String, Integer> attempts,
        Map<String, String> inputs,
        boolean responded,
        Set<String> breached,
        String rollbackReason,
        Set<Integer> escalated,
        dev.runbook.model.Severity severity) {

    /** The error of a step whose attempt the stop cut (written by the stop, or on resume). */
    public static final String UNKNOWN = "outcome unknown: the run stopped while this step ran";

    /** A value the log cut ({@link Truncate}): "…[N more characters]" or "…[N more items]". */
    private static final Pattern CUT = Pattern.compile("…\\[\\d+ more (characters|items)]$");

    /** Where the walk goes on. */
    public sealed interface Point {}

    /**
     * Run a step of a section (an index past the end finishes the section).
     *
     * @param phase {@link Phase#STEPS} or {@link Phase#ROLLBACK}
     * @param index 0-based
     */
    public record At(Phase phase, int index) implements Point {}

    /**
     * A step failed and what follows was not decided: the operator is asked (interactive), the
     * runbook's {@code on_failure} applies (unattended).
     */
    public record AfterFailure(Phase phase, int index, String error) implements Point {}

    /** Turn to the rollback section (decided, {@code rollback.started} not yet written). */
    public record StartRollback(String reason) implements Point {}

    /** The walk (or a completed rollback) ended: the resolution checks run, from the first. */
    public record Verify(Outcome reached) implements Point {}

    /** The walk's end was decided ({@code abort}, a failed rollback): only the close is missing. */
    public record Close(Outcome outcome) implements Point {}

    /**
     * A step whose attempt started and whose outcome the log does not know: no {@code
     * step.finished}, or the one a stop signal wrote ({@code interrupted (…)}) just before an
     * {@code interrupted} close.
     *
     * @param step the step
     * @param phase its section
     * @param index its 0-based index in the section
     * @param attempt the attempt that started
     * @param target what it was doing (resolved command, URL, query; masked)
     * @param since when it started
     * @param closedByStop its {@code step.finished} was written by the stop
     */
    public record InFlight(
            Step step, Phase phase, int index, int attempt, String target, Instant since, boolean closedByStop) {}

    /**
     * Reads where an incident goes on.
     *
     * @param rb the runbook, as loaded now
     * @param events the log's complete events (chain verified by the caller)
     * @throws PlanException when there is nothing to resume (closed other than {@code interrupted},
     *     a dry-run) or the log names a step the runbook does not have
     */
    public static Resumption of(Runbook rb, List<JournalReader.Event> events) throws PlanException {
        return new Reader(rb).read(events);
    }

    /**
     * The problem with continuing from {@code at}: a step that can still run reads a field of a
     * step result the log kept masked or cut ("resume must say which step to re-run, not guess").
     *
     * @param rb the runbook
     * @param at where the walk goes on
     * @return the one-line problem naming both steps, or null when none
     */
    public String unreadable(Runbook rb, Point at) {
        Map<String, Set<String>> damaged = new LinkedHashMap<>();
        results.forEach((id, r) -> r.forEach((field, v) -> {
            if (damaged(v)) {
                damaged.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(field);
            }
        }));
        return reads(rb, at, damaged, "kept masked (a secret) or cut (over 4 KiB or 50 items) in the log");
    }

    /**
     * The problem with marking the in-flight step done: a step that can still run reads a field of
     * its result other than {@code outcome}/{@code status}, which nobody knows.
     *
     * @return the one-line problem, or null when it may be marked done
     */
    public String cannotMarkDone(Runbook rb) {
        if (inFlight == null) {
            return null;
        }
        Point after = afterSuccess(rb, inFlight.phase(), inFlight.index(), inFlight.step(), Map.of());
        return reads(rb, after, Map.of(inFlight.step().id(), Set.of()), "unknown (its run was cut)");
    }

    /**
     * The first read of a damaged field by a step that can still run, before the step it belongs to
     * runs again.
     *
     * @param damaged step id → its damaged fields; an empty set: every field but {@code outcome} and
     *     {@code status}
     */
    private static String reads(Runbook rb, Point at, Map<String, Set<String>> damaged, String why) {
        if (damaged.isEmpty()) {
            return null;
        }
        Set<String> runAgain = new java.util.HashSet<>();
        for (Step s : stillToRun(rb, at)) {
            runAgain.add(s.id()); // its result is new from here on (its own checks read the new one)
            for (List<String> ref : StartAt.refs(s)) {
                if (ref.size() > 1
                        && ref.get(0).equals("steps")
                        && damaged.containsKey(ref.get(1))
                        && !runAgain.contains(ref.get(1))) {
                    String field = ref.size() > 2 ? ref.get(2) : null;
                    Set<String> fields = damaged.get(ref.get(1));
                    boolean whole = field == null;
                    boolean known = fields.isEmpty()
                            ? "outcome".equals(field) || "status".equals(field)
                            : !fields.contains(field);
                    if (!whole && known) {
                        continue;
                    }
                    return "step '" + s.id() + "' reads " + String.join(".", ref) + ", which is " + why
                            + ": re-run step '" + ref.get(1) + "'";
                }
            }
        }
        return null;
    }

    /** The steps that can run from a point: the rest of its section and the sections after it. */
    private static List<Step> stillToRun(Runbook rb, Point at) {
        if (at instanceof At a && a.phase() == Phase.STEPS) {
            return concat(
                    rb.steps()
                            .subList(
                                    Math.min(a.index(), rb.steps().size()),
                                    rb.steps().size()),
                    rb);
        }
        if (at instanceof AfterFailure f && f.phase() == Phase.STEPS) {
            return concat(rb.steps().subList(f.index(), rb.steps().size()), rb);
        }
        if (at instanceof At a) {
            return Stream.concat(
                            rb
                                    .rollback()
                                    .subList(
                                            Math.min(a.index(), rb.rollback().size()),
                                            rb.rollback().size())
                                    .stream(),
                            rb.verify().stream())
                    .toList();
        }
        if (at instanceof AfterFailure f) {
            return Stream.concat(rb.rollback().subList(f.index(), rb.rollback().size()).stream(), rb.verify().stream())
                    .toList();
        }
        if (at instanceof StartRollback) {
            return Stream.concat(rb.rollback().stream(), rb.verify().stream()).toList();
        }
        return at instanceof Verify ? rb.verify() : List.of();
    }

    private static List<Step> concat(List<Step> main, Runbook rb) {
        return Stream.of(main, rb.rollback(), rb.verify()).flatMap(List::stream).toList();
    }

    /** True when a logged value was masked or cut somewhere inside. */
    static boolean damaged(Object v) {
        if (v instanceof String s) {
            return s.contains(Masker.MASK) || CUT.matcher(s).find();
        }
        if (v instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(Resumption::damaged);
        }
        if (v instanceof List<?> l) {
            return l.stream().anyMatch(Resumption::damaged);
        }
        return false;
    }

    /**
     * Where the walk goes after a step of a section succeeded: its {@code choose} option's
     * target, its {@code on_success}, else the next step; the end of the main walk is the verify
     * section.
     */
    static Point afterSuccess(Runbook rb, Phase phase, int index, Step step, Map<String, Object> result) {
        FlowTarget to = step.onSuccess();
        if (step.action() instanceof ActionSpec.Choose c && result.get("choice") != null) {
            to = c.options().stream()
                    .filter(o -> o.label().equals(String.valueOf(result.get("choice"))))
                    .map(ActionSpec.Option::gotoStep)
                    .filter(java.util.Objects::nonNull)
                    .findFirst()
                    .orElse(FlowTarget.NEXT);
        }
        if (phase == Phase.ROLLBACK) {
            return new At(
                    Phase.ROLLBACK, to instanceof FlowTarget.End ? rb.rollback().size() : index + 1);
        }
        if (to instanceof FlowTarget.Goto g) {
            return new At(Phase.STEPS, rb.indexOf(g.step()));
        }
        if (to instanceof FlowTarget.End || index + 1 >= rb.steps().size()) {
            return new Verify(Outcome.RESOLVED);
        }
        return new At(Phase.STEPS, index + 1);
    }

    /** One pass over the log. */
    private static final class Reader {
        private final Runbook rb;
        private final Map<String, Map<String, Object>> results = new LinkedHashMap<>();
        private final Map<String, StepStatus> statuses = new LinkedHashMap<>();
        private final Map<String, Integer> attempts = new LinkedHashMap<>();
        private final Map<String, String> inputs = new LinkedHashMap<>();
        private final Set<String> breached = new LinkedHashSet<>();
        private final Set<Integer> escalated = new LinkedHashSet<>();
        private dev.runbook.model.Severity severity;
        private Point point;
        private InFlight inFlight;
        private InFlight cutByStop;
        private String previousOperator;
        private String stopped = "killed: the log has no incident.closed";
        private String rollbackReason;
        private boolean responded;

        Reader(Runbook rb) {
            this.rb = rb;
        }

        Resumption read(List<JournalReader.Event> events) throws PlanException {
            JournalReader.Event opened = events.get(0);
            String file = rb.source().path();
            if ("dry-run".equals(opened.str("mode"))) {
                throw new PlanException(opened.str("incident") + " is a dry-run: it has nothing to resume");
            }
            Object rbField = opened.fields().get("runbook");
            String rbId = rbField instanceof Map<?, ?> m ? String.valueOf(m.get("id")) : null;
            if (!rb.id().equals(rbId)) {
                throw new PlanException(file + ": the incident ran runbook " + rbId + ", not " + rb.id());
            }
            previousOperator = opened.str("operator");
            if (opened.fields().get("inputs") instanceof Map<?, ?> in) {
                in.forEach((k, v) -> inputs.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            }
            String startAt = opened.str("start_at");
            point = new At(Phase.STEPS, startAt == null ? 0 : Math.max(0, rb.indexOf(startAt)));
            for (JournalReader.Event e : events.subList(1, events.size())) {
                read(e);
            }
            JournalReader.Event last = events.get(events.size() - 1);
            return new Resumption(
                    opened.str("incident"),
                    Instant.parse(opened.str("ts")),
                    previousOperator,
                    last.num("seq"),
                    stopped,
                    point,
                    inFlight,
                    results,
                    statuses,
                    attempts,
                    inputs,
                    responded,
                    breached,
                    rollbackReason,
                    escalated,
                    severity);
        }

        private void read(JournalReader.Event e) throws PlanException {
            EventType type = e.kind().orElse(EventType.NOTE);
            if (type != EventType.INCIDENT_CLOSED) {
                boolean aside = type == EventType.NOTE
                        || type == EventType.SLA_BREACHED
                        || type == EventType.ESCALATION_TRIGGERED
                        || type == EventType.NOTIFICATION_POSTED
                        || type == EventType.INCIDENT_SEVERITY_CHANGED;
                cutByStop = aside ? cutByStop : null;
            }
            switch (type) {
                case STEP_STARTED -> started(e);
                case STEP_FINISHED -> finished(e);
                case OPERATOR_DECISION -> decided(e);
                case ROLLBACK_STARTED -> {
                    rollbackReason = e.str("reason");
                    point = new At(Phase.ROLLBACK, 0);
                }
                case ROLLBACK_FINISHED ->
                    point = StepStatus.SUCCEEDED.wire().equals(e.str("status"))
                            ? new Verify(Outcome.ROLLED_BACK)
                            : new Close(Outcome.FAILED);
                case SLA_BREACHED -> breached.add(e.str("sla"));
                case ESCALATION_TRIGGERED -> escalated.add((int) e.num("level"));
                case INCIDENT_SEVERITY_CHANGED -> {
                    try {
                        severity = dev.runbook.model.Severity.valueOf(String.valueOf(e.str("to")));
                    } catch (IllegalArgumentException ex) {
                        // a forged value: the chain was verified, keep the last valid one
                    }
                }
                case INCIDENT_RESUMED -> {
                    previousOperator = e.str("operator");
                    stopped = "killed: the log has no incident.closed";
                }
                case INCIDENT_CLOSED -> closed(e);
                default -> {}
            }
        }

        private void closed(JournalReader.Event e) throws PlanException {
            String outcome = e.str("outcome");
            if (!Outcome.INTERRUPTED.logName().equals(outcome)) {
                throw new PlanException(e.str("incident") + " is closed " + outcome
                        + ": only an unfinished or interrupted incident can be resumed");
            }
            stopped = "interrupted";
            if (cutByStop != null) {
                inFlight = cutByStop;
                point = inFlight.phase() == Phase.VERIFY ? point : new At(inFlight.phase(), inFlight.index());
            }
        }

        private Step step(JournalReader.Event e) throws PlanException {
            String id = e.str("step");
            return rb.step(id)
                    .orElseThrow(() -> new PlanException(rb.source().path() + ": the incident's log has step '" + id
                            + "', which the runbook no longer has: resume needs the runbook it ran"));
        }

        private int index(Step s, Phase phase) {
            List<Step> section =
                    phase == Phase.ROLLBACK ? rb.rollback() : phase == Phase.VERIFY ? rb.verify() : rb.steps();
            return section.indexOf(s);
        }

        private void started(JournalReader.Event e) throws PlanException {
            Step s = step(e);
            Phase phase = rb.phaseOf(s.id());
            responded = true;
            int attempt = (int) e.num("attempt");
            attempts.merge(s.id(), attempt, Math::max);
            inFlight = new InFlight(s, phase, index(s, phase), attempt, e.str("target"), ts(e), false);
            if (phase != Phase.VERIFY) {
                point = new At(phase, index(s, phase));
            } else if (!(point instanceof Verify)) {
                point = new Verify(Outcome.RESOLVED);
            }
        }

        private void finished(JournalReader.Event e) throws PlanException {
            Step s = step(e);
            Phase phase = rb.phaseOf(s.id());
            int index = index(s, phase);
            InFlight was = inFlight;
            inFlight = null;
            StepStatus status = StepStatus.of(e.str("status")).orElse(StepStatus.FAILED);
            Map<String, Object> result = new LinkedHashMap<>();
            if (e.fields().get("result") instanceof Map<?, ?> m) {
                m.forEach((k, v) -> result.put(String.valueOf(k), v));
            }
            String error = e.str("error");
            if (was != null && error != null && error.startsWith(Interruption.STEP_ERROR)) {
                cutByStop = new InFlight(s, phase, index, was.attempt(), was.target(), was.since(), true);
            }
            result.putIfAbsent("status", status.wire());
            result.put("outcome", status.wire());
            results.put(s.id(), result);
            statuses.put(s.id(), status);
            if (s.action() instanceof ActionSpec.Input in && result.get("value") != null) {
                inputs.put(in.name(), String.valueOf(result.get("value")));
            }
            if (phase == Phase.VERIFY) {
                return;
            }
            int attempt = (int) e.num("attempt");
            point = switch (status) {
                case SUCCEEDED -> afterSuccess(rb, phase, index, s, result);
                case SKIPPED -> new At(phase, index + 1);
                default ->
                    attempt % s.retry().attempts() != 0
                            ? new At(phase, index) // killed between two of its retries: the tries start again
                            : new AfterFailure(phase, index, error == null ? status.wire() : error);
            };
        }

        private void decided(JournalReader.Event e) throws PlanException {
            Step s = step(e);
            Phase phase = rb.phaseOf(s.id());
            responded = true;
            if (phase == Phase.VERIFY) {
                return;
            }
            int index = index(s, phase);
            String choice = String.valueOf(e.str("choice"));
            if (choice.equals("abort")) {
                point = new Close(Outcome.ABORTED);
            } else if (choice.equals("rollback")) {
                point = new StartRollback("operator at step '" + s.id() + "'");
            } else if (choice.equals("skip")) {
                point = new At(phase, index + 1);
            } else if (choice.startsWith("goto:") && !(s.action() instanceof ActionSpec.Choose)) {
                String to = choice.substring("goto:".length());
                point = rb.indexOf(to) >= 0 ? new At(Phase.STEPS, rb.indexOf(to)) : new Verify(Outcome.RESOLVED);
            } else if (choice.equals("retry") || choice.equals("run") || choice.equals("done")) {
                point = new At(phase, index);
            }
            // a choose's goto is followed from its step.finished (the option it records)
        }

        private static Instant ts(JournalReader.Event e) {
            try {
                return Instant.parse(e.str("ts"));
            } catch (RuntimeException ex) {
                return null;
            }
        }
    }

    /** The ids of the steps whose logged result is masked or cut, in log order. */
    public List<String> damagedSteps() {
        List<String> out = new ArrayList<>();
        results.forEach((id, r) -> {
            if (damaged(r)) {
                out.add(id);
            }
        });
        return out;
    }
}
