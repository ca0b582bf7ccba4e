package dev.runbook.report;

import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.model.Durations;
import dev.runbook.model.Phase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an {@link Incident} from an incident log (contract, "The incident log"). The
 * chain is verified first and the result kept in {@link Incident#integrity()}; parsing
 * goes on whatever it says (callers decide whether to refuse), skipping lines that are
 * not JSON objects or have no valid {@code ts}. A log without {@code incident.closed} is
 * an unfinished incident: attempts still open end at the last event, as {@code unfinished}.
 */
public final class IncidentParser {

    private static final Set<String> ENVELOPE = Set.of("seq", "ts", "type", "incident", "prev");

    private IncidentParser() {}

    /**
     * Reads, verifies and parses a log file.
     *
     * @param file a {@code .jsonl} incident log
     * @throws IOException when it cannot be read
     * @throws IllegalArgumentException when it holds no usable {@code incident.opened}
     */
    public static Incident load(Path file) throws IOException {
        JournalReader.Log log = JournalReader.readLog(file);
        JournalVerifier.Result r = JournalVerifier.verify(log);
        Integrity integrity = new Integrity(r.ok(), r.events(), r.badLine(), r.reason(), r.torn());
        return parse(log.events(), integrity, file.getFileName().toString());
    }

    /**
     * Parses events already read.
     *
     * @param events the log's lines in order
     * @param integrity the chain check of those lines
     * @param fileName the log's file name, for display
     * @throws IllegalArgumentException when no {@code incident.opened} with a valid {@code ts} is found
     */
    public static Incident parse(List<JournalReader.Event> events, Integrity integrity, String fileName) {
        List<JournalReader.Event> usable = new ArrayList<>();
        for (JournalReader.Event e : events) {
            if (!e.fields().isEmpty() && instant(e) != null) {
                usable.add(e);
            }
        }
        JournalReader.Event opened = usable.stream()
                .filter(e -> EventType.INCIDENT_OPENED.is(e.type()))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalArgumentException(fileName + ": no incident.opened event, not an incident log"));
        return new Builder(opened, integrity, fileName).build(usable);
    }

    static Instant instant(JournalReader.Event e) {
        String ts = e.str("ts");
        try {
            return ts == null ? null : Instant.parse(ts);
        } catch (DateTimeParseException ex) {
            return null;
        }
    }

    private static final class Builder {
        private final JournalReader.Event opened;
        private final Integrity integrity;
        private final String fileName;
        private final Instant start;
        private final List<TimelineEntry> timeline = new ArrayList<>();
        private final List<Attempt> attempts = new ArrayList<>();
        private final Map<String, Integer> open = new LinkedHashMap<>();
        private final Set<String> operators = new LinkedHashSet<>();
        private final List<String> breached = new ArrayList<>();
        private Instant acknowledgedByDecision;
        private Instant firstStart;
        private boolean inRollback;
        private final List<Hold> holds = new ArrayList<>();
        private String holder;
        private String holderHost;
        private Instant holdFrom;
        private Instant lastTs;

        Builder(JournalReader.Event opened, Integrity integrity, String fileName) {
            this.opened = opened;
            this.integrity = integrity;
            this.fileName = fileName;
            this.start = instant(opened);
        }

        Incident build(List<JournalReader.Event> events) {
            JournalReader.Event closed = null;
            Instant last = start;
            holder = opened.str("operator");
            holderHost = opened.str("host");
            holdFrom = start;
            lastTs = start;
            for (JournalReader.Event e : events) {
                Instant ts = instant(e);
                if (ts.isAfter(last)) {
                    last = ts;
                }
                if (EventType.INCIDENT_RESUMED.is(e.type())) {
                    holds.add(
                            new Hold(holder, holderHost, holdFrom, lastTs, closed == null ? "killed" : "interrupted"));
                    holder = e.str("operator");
                    holderHost = e.str("host");
                    holdFrom = ts;
                    closed = null; // the interrupted close is not the end any more
                }
                lastTs = ts;
                add(e, ts);
                if (EventType.INCIDENT_CLOSED.is(e.type())) {
                    closed = e;
                }
            }
            holds.add(new Hold(holder, holderHost, holdFrom, lastTs, null));
            Instant end = closed != null ? instant(closed) : last;
            for (Integer i : open.values()) {
                Attempt a = attempts.get(i);
                attempts.set(
                        i,
                        new Attempt(
                                a.step(),
                                a.attempt(),
                                a.action(),
                                a.target(),
                                a.start(),
                                end,
                                Progress.UNFINISHED.label(),
                                Duration.between(a.start(), end).toMillis(),
                                null,
                                a.phase()));
            }
            long duration = closed != null && closed.num("duration_ms") >= 0
                    ? closed.num("duration_ms")
                    : Duration.between(start, end).toMillis();
            Map<String, Object> rb = map(opened.fields().get("runbook"));
            Map<String, Object> sla = map(opened.fields().get("sla"));
            List<String> severities = new ArrayList<>();
            severities.add(str(rb.get("severity")));
            for (JournalReader.Event e : events) {
                if (EventType.INCIDENT_SEVERITY_CHANGED.is(e.type()) && e.str("to") != null) {
                    severities.add(e.str("to"));
                    sla = map(e.fields().get("sla")); // the new severity's targets judge the incident
                }
            }
            return new Incident(
                    str(opened.str("incident")),
                    fileName,
                    integrity,
                    str(rb.get("id")),
                    str(rb.get("title")),
                    str(rb.get("severity")),
                    str(rb.get("path")),
                    str(rb.get("sha256")),
                    opened.str("env"),
                    opened.str("mode"),
                    List.copyOf(operators),
                    opened.str("host"),
                    map(opened.fields().get("inputs")),
                    opened.str("tool_version"),
                    start,
                    end,
                    closed != null,
                    closed == null ? null : closed.str("outcome"),
                    closed != null && Boolean.TRUE.equals(closed.fields().get("verified")),
                    duration,
                    duration(sla.get("respond")),
                    duration(sla.get("resolve")),
                    acknowledgedByDecision != null ? acknowledgedByDecision : firstStart,
                    List.copyOf(breached),
                    List.copyOf(timeline),
                    List.copyOf(attempts),
                    summaries(),
                    List.copyOf(holds),
                    List.copyOf(severities));
        }

        private void add(JournalReader.Event e, Instant ts) {
            String step = e.str("step");
            if (e.str("operator") != null) {
                operators.add(e.str("operator"));
            }
            switch (e.kind().orElse(EventType.NOTE)) {
                case STEP_STARTED -> started(e, ts);
                case STEP_FINISHED -> finished(e, ts);
                case OPERATOR_DECISION -> {
                    if (acknowledgedByDecision == null) {
                        acknowledgedByDecision = ts;
                    }
                }
                case ROLLBACK_STARTED -> inRollback = true;
                case ROLLBACK_FINISHED -> inRollback = false;
                case SLA_BREACHED -> {
                    if (e.str("sla") != null) {
                        breached.add(e.str("sla"));
                    }
                }
                default -> {}
            }
            Map<String, Object> data = new LinkedHashMap<>();
            e.fields().forEach((k, v) -> {
                if (!ENVELOPE.contains(k)) {
                    data.put(k, v);
                }
            });
            timeline.add(new TimelineEntry(
                    e.num("seq"), ts, Duration.between(start, ts).toMillis(), e.type(), step, Describe.event(e), data));
        }

        private void started(JournalReader.Event e, Instant ts) {
            if (firstStart == null) {
                firstStart = ts;
            }
            int n = (int) Math.max(1, e.num("attempt"));
            open.put(e.str("step") + "#" + n, attempts.size());
            attempts.add(new Attempt(
                    e.str("step"),
                    n,
                    e.str("action"),
                    e.str("target"),
                    ts,
                    null,
                    Progress.UNFINISHED.label(),
                    0,
                    null,
                    phase(e)));
        }

        /** The step's section: the log's {@code phase}, else inside rollback.started/finished. */
        private Phase phase(JournalReader.Event e) {
            Object p = e.fields().get("phase");
            if (p != null) {
                return Phase.of(p);
            }
            return inRollback ? Phase.ROLLBACK : Phase.STEPS;
        }

        private void finished(JournalReader.Event e, Instant ts) {
            int n = (int) Math.max(1, e.num("attempt"));
            Integer i = open.remove(e.str("step") + "#" + n);
            long d = e.num("duration_ms");
            if (i == null) {
                Instant s = d >= 0 ? ts.minusMillis(d) : ts;
                attempts.add(new Attempt(
                        e.str("step"),
                        n,
                        null,
                        null,
                        s,
                        ts,
                        str(e.str("status")),
                        Math.max(0, d),
                        e.str("error"),
                        phase(e)));
                return;
            }
            Attempt a = attempts.get(i);
            attempts.set(
                    i,
                    new Attempt(
                            a.step(),
                            n,
                            a.action(),
                            a.target(),
                            a.start(),
                            ts,
                            str(e.str("status")),
                            d >= 0 ? d : Duration.between(a.start(), ts).toMillis(),
                            e.str("error"),
                            a.phase()));
        }

        private List<StepSummary> summaries() {
            Map<String, StepSummary> by = new LinkedHashMap<>();
            for (Attempt a : attempts) {
                StepSummary s = by.get(a.step());
                by.put(
                        a.step(),
                        s == null
                                ? new StepSummary(a.step(), a.status(), 1, a.durationMs(), a.phase())
                                : new StepSummary(
                                        a.step(),
                                        a.status(),
                                        s.attempts() + 1,
                                        s.durationMs() + a.durationMs(),
                                        s.phase() == Phase.STEPS ? a.phase() : s.phase()));
            }
            return List.copyOf(by.values());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static Duration duration(Object o) {
        if (o == null) {
            return null;
        }
        try {
            return Durations.parse(String.valueOf(o));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
