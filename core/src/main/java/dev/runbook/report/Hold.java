package dev.runbook.report;

import java.time.Instant;

/**
 * One stretch of an incident held by one operator (docs/format.md, "Resume and hand-off"): from
 * {@code incident.opened} or an {@code incident.resumed} to the last event before the next
 * resume, or to the end.
 *
 * @param operator who held it
 * @param host the machine it ran on
 * @param from the first event's time
 * @param to the last event's time of the stretch
 * @param ended how the stretch ended: "killed", "interrupted", or null for the last one
 */
public record Hold(String operator, String host, Instant from, Instant to, String ended) {

    /** "alice on laptop 10:23:45–10:31:02 (killed)". */
    public String describe() {
        return operator + " on " + host + " " + Text.time(from) + "–" + Text.time(to)
                + (ended == null ? "" : " (" + ended + ")");
    }
}
