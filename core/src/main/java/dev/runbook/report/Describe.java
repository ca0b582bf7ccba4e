package dev.runbook.report;

import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import java.util.Map;

/** Says in one plain-text line what an event of the log means (the "what happened" column). */
final class Describe {

    private static final int MAX = 160;

    private Describe() {}

    /** The sentence for one event; unknown types are shown by name. */
    static String event(JournalReader.Event e) {
        String step = e.str("step");
        EventType type = e.kind().orElse(null);
        if (type == null) {
            return oneLine(e.type());
        }
        return oneLine(
                switch (type) {
                    case INCIDENT_OPENED ->
                        "Incident opened: runbook " + runbook(e)
                                + (e.str("env") == null ? ", no environment" : ", env " + e.str("env"))
                                + ", mode " + e.str("mode") + ", operator " + e.str("operator");
                    case STEP_STARTED ->
                        "Step " + step + " started (attempt " + e.num("attempt") + ", " + e.str("action")
                                + (e.str("target") == null ? "" : ": " + e.str("target")) + ")";
                    case STEP_FINISHED ->
                        "Step " + step + " " + e.str("status") + " (attempt " + e.num("attempt")
                                + ", " + Text.duration(e.num("duration_ms"))
                                + result(e.fields().get("result"))
                                + (e.str("error") == null ? "" : "; error: " + e.str("error")) + ")";
                    case OPERATOR_DECISION ->
                        "Decision" + (step == null ? "" : " on " + step) + ": " + e.str("choice")
                                + (e.str("reason") == null ? "" : " (" + e.str("reason") + ")");
                    case NOTE -> "Note" + (step == null ? "" : " on " + step) + ": " + e.str("text");
                    case ROLLBACK_STARTED ->
                        "Rollback started" + (e.str("reason") == null ? "" : ": " + e.str("reason"));
                    case ROLLBACK_FINISHED -> "Rollback finished: " + e.str("status");
                    case SLA_BREACHED ->
                        "SLA " + e.str("sla") + " breached (at " + Text.duration(e.num("elapsed_ms")) + ")";
                    case INCIDENT_CLOSED ->
                        "Incident closed: " + e.str("outcome") + " (after " + Text.duration(e.num("duration_ms")) + ")";
                    case INCIDENT_RESUMED ->
                        "Incident resumed by " + e.str("operator") + " on " + e.str("host")
                                + (e.str("operator") != null
                                                && !e.str("operator").equals(e.str("previous_operator"))
                                        ? ", taking over from " + e.str("previous_operator")
                                        : "")
                                + " (" + e.str("reason") + ")";
                    case ESCALATION_TRIGGERED ->
                        "Escalation L" + e.num("level") + " (" + e.str("after") + "): " + e.str("message")
                                + (e.str("channel") == null ? "" : " → " + e.str("channel"));
                    case INCIDENT_SEVERITY_CHANGED ->
                        "Severity changed: " + e.str("from") + " → " + e.str("to") + " (step " + step + ")";
                    case NOTIFICATION_POSTED ->
                        (Boolean.TRUE.equals(e.fields().get("delivered")) ? "Posted " : "NOT posted ")
                                + e.str("event") + " to " + e.str("channel")
                                + (e.str("error") == null
                                        ? ""
                                        : " after " + e.num("attempts") + " attempts: " + e.str("error"));
                    case APPROVAL_REQUESTED ->
                        "Approval requested for step " + step + " (" + e.num("min") + " from "
                                + (e.fields().get("from") instanceof java.util.List<?> l && !l.isEmpty()
                                        ? String.join(
                                                " or ",
                                                l.stream().map(String::valueOf).toList())
                                        : "anyone in allowed_signers")
                                + "): " + e.str("command");
                    case APPROVAL_GRANTED ->
                        "Approved by " + e.str("approver") + principals(e) + " (step " + step + ")";
                    case APPROVAL_DENIED -> "Denied by " + e.str("approver") + principals(e) + " (step " + step + ")";
                    case APPROVAL_REFUSED ->
                        "Approval from " + e.str("by") + " refused (step " + step + "): " + e.str("reason");
                });
    }

    private static String principals(JournalReader.Event e) {
        return e.fields().get("principals") instanceof java.util.List<?> l && l.size() > 1
                ? " as "
                        + String.join(
                                ", ",
                                l.subList(1, l.size()).stream()
                                        .map(String::valueOf)
                                        .toList())
                : "";
    }

    private static String runbook(JournalReader.Event e) {
        Object rb = e.fields().get("runbook");
        if (rb instanceof Map<?, ?> m) {
            return m.get("id") + (m.get("title") == null ? "" : " (" + m.get("title") + ")");
        }
        return "?";
    }

    /** The few result fields that say most: http status, exit code, row count, choice. */
    private static String result(Object r) {
        if (!(r instanceof Map<?, ?> m)) {
            return "";
        }
        if (m.get("child_outcome") != null || m.containsKey("child_outcome") && m.get("incident") != null) {
            return ", child incident " + m.get("incident") + " " + m.get("child_outcome");
        }
        for (String k : new String[] {"status", "exit", "row_count", "choice", "confirmed_by"}) {
            if (m.get(k) != null && !(m.get(k) instanceof Map) && !(m.get(k) instanceof Iterable)) {
                return ", " + k + " " + m.get(k);
            }
        }
        return "";
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return t.length() > MAX ? t.substring(0, MAX - 1) + "…" : t;
    }
}
