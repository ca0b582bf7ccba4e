package dev.runbook.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runbook.journal.EventType;
import dev.runbook.model.Phase;
import dev.runbook.model.StepStatus;
import java.time.Instant;

/**
 * The incident as JSON, schema {@value #SCHEMA} (documented in {@code docs/export-json.md}):
 * {@code schema}, {@code warnings}, {@code integrity}, {@code incident}, {@code runbook},
 * {@code sla}, {@code timeline}, {@code steps}, {@code attempts}, {@code metrics}. Times are
 * RFC 3339 UTC strings, durations integer milliseconds, unknown values {@code null}.
 */
public final class JsonReport {

    /** The schema version; raised on any incompatible change. */
    public static final int SCHEMA = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonReport() {}

    /**
     * Renders an incident.
     *
     * @return pretty-printed JSON (2-space indent, {@code \n} line ends) with a final newline
     */
    public static String render(Incident in) {
        return JsonText.pretty(tree(in));
    }

    /** The document as a tree (for callers that embed it). */
    public static ObjectNode tree(Incident in) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        ArrayNode w = root.putArray("warnings");
        MarkdownReport.warnings(in).forEach(s -> w.add(s.replace("**", "")));
        ObjectNode integ = root.putObject("integrity");
        integ.put("verified", in.integrity().ok());
        integ.put("events", in.integrity().events());
        integ.put("bad_line", in.integrity().ok() ? null : in.integrity().badLine());
        integ.put("reason", in.integrity().reason());
        ObjectNode inc = root.putObject("incident");
        inc.put("id", in.id());
        inc.put("file", in.file());
        inc.put("env", in.env());
        inc.put("mode", in.mode());
        ArrayNode ops = inc.putArray("operators");
        in.operators().forEach(ops::add);
        ArrayNode holds = inc.putArray("holds");
        for (Hold h : in.holds()) {
            ObjectNode o = holds.addObject();
            o.put("operator", h.operator());
            o.put("host", h.host());
            o.put("from", ts(h.from()));
            o.put("to", ts(h.to()));
            o.put("ended", h.ended());
        }
        inc.put("host", in.host());
        inc.set("inputs", JSON.valueToTree(in.inputs()));
        inc.put("tool_version", in.toolVersion());
        inc.put("start", ts(in.start()));
        inc.put("end", ts(in.end()));
        inc.put("finished", in.closed());
        inc.put("outcome", in.outcomeLabel());
        inc.put("verified", in.verified());
        inc.put("verification", ReportFacts.verification(in));
        inc.put("duration_ms", in.durationMs());
        ObjectNode rb = root.putObject("runbook");
        rb.put("id", in.runbookId());
        rb.put("title", in.runbookTitle());
        rb.put("severity", in.severity());
        ArrayNode severities = inc.putArray("severities");
        in.severities().forEach(severities::add);
        rb.put("path", in.runbookPath());
        rb.put("sha256", in.runbookSha256());
        sla(root.putObject("sla"), in);
        timeline(root.putArray("timeline"), in);
        steps(root.putArray("steps"), in);
        attempts(root.putArray("attempts"), in);
        metrics(root.putObject("metrics"), in);
        return root;
    }

    private static void sla(ObjectNode o, Incident in) {
        o.putNull("respond");
        o.putNull("resolve");
        for (SlaCheck c : in.sla()) {
            ObjectNode s = o.putObject(c.name());
            s.put("target_ms", c.target().toMillis());
            s.put("actual_ms", c.actualMs());
            s.put("state", c.state());
            s.put("margin_ms", c.marginMs());
        }
    }

    private static void timeline(ArrayNode a, Incident in) {
        for (TimelineEntry e : in.timeline()) {
            ObjectNode o = a.addObject();
            o.put("seq", e.seq());
            o.put("ts", ts(e.ts()));
            o.put("elapsed_ms", e.elapsedMs());
            o.put("type", e.type());
            o.put("step", e.step());
            o.put("text", e.text());
            o.set("data", JSON.valueToTree(e.data()));
        }
    }

    private static void steps(ArrayNode a, Incident in) {
        for (StepSummary s : in.steps()) {
            ObjectNode o = a.addObject();
            o.put("id", s.step());
            o.put("status", s.status());
            o.put("attempts", s.attempts());
            o.put("duration_ms", s.durationMs());
            o.put("rollback", s.phase() == Phase.ROLLBACK);
            o.put("phase", s.phase().wire());
        }
    }

    private static void attempts(ArrayNode a, Incident in) {
        for (Attempt t : in.attempts()) {
            ObjectNode o = a.addObject();
            o.put("step", t.step());
            o.put("attempt", t.attempt());
            o.put("action", t.action());
            o.put("target", t.target());
            o.put("start", ts(t.start()));
            o.put("end", ts(t.end()));
            o.put("status", t.status());
            o.put("duration_ms", t.durationMs());
            o.put("error", t.error());
            o.put("rollback", t.phase() == Phase.ROLLBACK);
            o.put("phase", t.phase().wire());
        }
    }

    private static void metrics(ObjectNode o, Incident in) {
        o.put("time_to_acknowledge_ms", in.ackMs());
        o.put("time_to_resolve_ms", in.resolveMs());
        o.put("steps", in.steps().size());
        o.put("attempts", in.attempts().size());
        o.put(
                "failed_steps",
                in.steps().stream()
                        .filter(s ->
                                !StepStatus.of(s.status()).map(StepStatus::ok).orElse(false))
                        .count());
        o.put(
                "decisions",
                in.timeline().stream()
                        .filter(e -> EventType.OPERATOR_DECISION.is(e.type()))
                        .count());
        o.put(
                "notes",
                in.timeline().stream().filter(e -> EventType.NOTE.is(e.type())).count());
        o.put("rollback", in.rolledBackStarted());
        o.put("sla_breached", in.slaBreached());
    }

    private static String ts(Instant t) {
        return t == null ? null : dev.runbook.journal.JournalWriter.TS.format(t);
    }
}
