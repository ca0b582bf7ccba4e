package dev.runbook.report;

import java.time.Instant;
import java.util.Map;

/**
 * One event of the log, ready to print.
 *
 * @param seq the event's {@code seq}
 * @param ts its time (UTC)
 * @param elapsedMs milliseconds since the incident opened
 * @param type its event type ({@code journal.Events})
 * @param step the step it concerns, or null
 * @param text what happened, one line in plain text
 * @param data the event's own fields (without seq, ts, type, incident, prev)
 */
public record TimelineEntry(
        long seq, Instant ts, long elapsedMs, String type, String step, String text, Map<String, Object> data) {}
