package dev.runbook.report;

import dev.runbook.journal.EventType;
import dev.runbook.model.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An incident as its log tells it, built once by {@link IncidentParser} and shared by every
 * renderer (Markdown, JSON, HTML, status messages, stats). Times are UTC instants,
 * durations milliseconds; fields the log lacks are null (strings) or empty (lists, maps).
 *
 * @param id the incident id
 * @param file the log's file name
 * @param integrity the hash-chain check made before parsing
 * @param runbookId {@code runbook.id} of {@code incident.opened}
 * @param runbookTitle {@code runbook.title}
 * @param severity {@code runbook.severity} (P1…P4)
 * @param runbookPath {@code runbook.path}
 * @param runbookSha256 {@code runbook.sha256}
 * @param env the environment
 * @param mode {@code interactive}, {@code auto} or {@code dry-run}
 * @param operators the operator of {@code incident.opened}, then any other {@code operator} met in events
 * @param host the operator's machine
 * @param inputs the inputs as logged (secrets masked)
 * @param toolVersion {@code tool_version}
 * @param start the first event's time
 * @param end {@code incident.closed}'s time, else the last event's time
 * @param closed true when the log ends with {@code incident.closed}
 * @param outcome the closing outcome; null when unfinished
 * @param verified {@code incident.closed.verified}: the runbook's verify section ran and passed
 * @param durationMs {@code incident.closed.duration_ms}, else {@code end - start}
 * @param respondTarget SLA respond target from {@code incident.opened.sla}, or null
 * @param resolveTarget SLA resolve target, or null
 * @param acknowledged the first operator action (first decision, else first step started), or null
 * @param breachedSlas the names in {@code sla.breached} events, in order
 * @param timeline every event, in order
 * @param attempts every step attempt, in start order
 * @param steps one summary per step, in order of first appearance
 * @param holds who held the incident when: the opener, then each operator of an {@code
 *     incident.resumed} (a hand-off when another one)
 * @param severities the runbook's severity, then each {@code incident.severity_changed}'s new one;
 *     the SLA targets are those of the last one
 */
public record Incident(
        String id,
        String file,
        Integrity integrity,
        String runbookId,
        String runbookTitle,
        String severity,
        String runbookPath,
        String runbookSha256,
        String env,
        String mode,
        List<String> operators,
        String host,
        Map<String, Object> inputs,
        String toolVersion,
        Instant start,
        Instant end,
        boolean closed,
        String outcome,
        boolean verified,
        long durationMs,
        Duration respondTarget,
        Duration resolveTarget,
        Instant acknowledged,
        List<String> breachedSlas,
        List<TimelineEntry> timeline,
        List<Attempt> attempts,
        List<StepSummary> steps,
        List<Hold> holds,
        List<String> severities) {

    /** "P1", or "P1 → P3" when a step re-classified the incident. */
    public String severityPath() {
        return severities.size() > 1 ? String.join(" → ", severities) : severity;
    }

    /** The outcome, or {@code unfinished} for a log without {@code incident.closed}. */
    public String outcomeLabel() {
        if (closed && outcome != null) {
            return outcome;
        }
        return (integrity.torn() ? Progress.ENDED_ABRUPTLY : Progress.UNFINISHED).label();
    }

    /** The closing outcome as the contract's type; empty when unfinished or not a contract name. */
    public java.util.Optional<Outcome> outcomeType() {
        return closed ? Outcome.of(outcome) : java.util.Optional.empty();
    }

    /** True when the service was restored: closed {@code resolved} or {@code rolled_back}. */
    public boolean restored() {
        return closed && outcomeType().map(Outcome::restored).orElse(false);
    }

    /** Milliseconds from start to the first operator action (MTTA sample), or null. */
    public Long ackMs() {
        return acknowledged == null
                ? null
                : Duration.between(start, acknowledged).toMillis();
    }

    /** Milliseconds from start to close when {@link #restored()} (MTTR sample), or null. */
    public Long resolveMs() {
        return restored() ? durationMs : null;
    }

    /** True when the runbook has at least one SLA target. */
    public boolean hasSla() {
        return respondTarget != null || resolveTarget != null;
    }

    /** The SLA targets judged against the log (see {@link SlaCheck}); empty when there is no SLA. */
    public List<SlaCheck> sla() {
        List<SlaCheck> out = new ArrayList<>();
        if (respondTarget != null) {
            out.add(check("respond", respondTarget, ackMs(), ackMs() != null));
        }
        if (resolveTarget != null) {
            out.add(check("resolve", resolveTarget, resolveMs(), restored()));
        }
        return out;
    }

    private SlaCheck check(String name, Duration target, Long actual, boolean reached) {
        long t = target.toMillis();
        boolean flagged = breachedSlas.contains(name);
        if (reached) {
            return new SlaCheck(name, target, actual, flagged || actual > t ? "breached" : "met", t - actual);
        }
        boolean unresolved = name.equals("resolve") && outcomeType().orElse(null) == Outcome.UNRESOLVED;
        if (flagged || unresolved || durationMs > t) {
            return new SlaCheck(name, target, null, "breached", t - durationMs);
        }
        return new SlaCheck(name, target, null, closed ? "not_met" : "pending", t - durationMs);
    }

    /** True when any SLA target was breached. */
    public boolean slaBreached() {
        return sla().stream().anyMatch(SlaCheck::breached);
    }

    /** The step of the last attempt still running at the end of the log, or null. */
    public String currentStep() {
        for (int i = attempts.size() - 1; i >= 0; i--) {
            if (Progress.UNFINISHED.is(attempts.get(i).status())) {
                return attempts.get(i).step();
            }
        }
        return null;
    }

    /**
     * The step waiting for approval at the end of the log: the step of the last
     * {@code approval.requested} when no {@code step.*} event of that step follows it; else null.
     */
    public String awaitingApproval() {
        for (int i = timeline.size() - 1; i >= 0; i--) {
            TimelineEntry e = timeline.get(i);
            if (EventType.APPROVAL_REQUESTED.is(e.type())) {
                for (int j = i + 1; j < timeline.size(); j++) {
                    TimelineEntry later = timeline.get(j);
                    if (e.step() != null
                            && e.step().equals(later.step())
                            && later.type().startsWith("step.")) {
                        return null;
                    }
                }
                return e.step();
            }
        }
        return null;
    }

    /** True when the log holds a {@code rollback.started}. */
    public boolean rolledBackStarted() {
        return timeline.stream().anyMatch(e -> EventType.ROLLBACK_STARTED.is(e.type()));
    }
}
