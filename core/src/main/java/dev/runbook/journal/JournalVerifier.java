package dev.runbook.journal;

import dev.runbook.model.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks an incident log's integrity (contract, "The incident log"): every line a JSON
 * object of a known type, {@code seq} 1, 2, 3…, one incident id, and {@code prev} equal
 * to the SHA-256 of the previous line's exact bytes (64 zeros on the first line).
 */
public final class JournalVerifier {

    private JournalVerifier() {}

    /**
     * The result of a check.
     *
     * @param ok true when the whole chain holds
     * @param events how many lines were read
     * @param badLine 1-based number of the first bad line, 0 when ok
     * @param reason why that line is bad; null when ok
     * @param closed true when the log ends with {@code incident.closed}
     * @param torn true when a last line torn by a crash was left out (the run ended abruptly)
     */
    public record Result(boolean ok, int events, int badLine, String reason, boolean closed, boolean torn) {}

    /**
     * Verifies a log file.
     *
     * @throws IOException when it cannot be read
     */
    public static Result verify(Path file) throws IOException {
        return verify(JournalReader.readLog(file));
    }

    /** Verifies a log already read: its complete lines; a torn last line is reported, not failed. */
    public static Result verify(JournalReader.Log log) {
        Result r = verify(log.events());
        boolean torn = log.tornTail() != null;
        if (torn && r.events() == 0) {
            return new Result(
                    false, 0, 1, "the only line is torn: the run was killed while creating the log", false, true);
        }
        return new Result(r.ok(), r.events(), r.badLine(), r.reason(), r.closed(), torn);
    }

    /** Verifies events already read. */
    public static Result verify(List<JournalReader.Event> events) {
        if (events.isEmpty()) {
            return new Result(false, 0, 1, "the log is empty", false, false);
        }
        String prev = JournalWriter.GENESIS;
        String incident = null;
        for (int i = 0; i < events.size(); i++) {
            JournalReader.Event e = events.get(i);
            String bad = check(e, i + 1, prev, incident);
            if (bad != null) {
                return new Result(false, events.size(), e.line(), bad, false, false);
            }
            incident = e.str("incident");
            prev = Sha256.hex(e.raw().getBytes(StandardCharsets.UTF_8));
        }
        boolean closed =
                EventType.INCIDENT_CLOSED.is(events.get(events.size() - 1).type());
        return new Result(true, events.size(), 0, null, closed, false);
    }

    private static String check(JournalReader.Event e, long expectedSeq, String prev, String incident) {
        if (e.fields().isEmpty()) {
            return "not a JSON object";
        }
        if (e.num("seq") != expectedSeq) {
            return "seq is " + e.fields().get("seq") + ", expected " + expectedSeq;
        }
        if (!prev.equals(e.str("prev"))) {
            return "prev does not match the SHA-256 of the line before (the log was edited, or lines removed)";
        }
        if (EventType.of(e.type()).isEmpty()) {
            return "unknown event type '" + e.type() + "'";
        }
        if (expectedSeq == 1 && !EventType.INCIDENT_OPENED.is(e.type())) {
            return "the first event is " + e.type() + ", not " + EventType.INCIDENT_OPENED;
        }
        if (incident != null && !incident.equals(e.str("incident"))) {
            return "incident is " + e.str("incident") + ", expected " + incident;
        }
        if (e.str("ts") == null) {
            return "no ts";
        }
        return null;
    }
}
