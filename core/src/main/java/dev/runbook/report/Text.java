package dev.runbook.report;

import dev.runbook.model.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formats times and durations the same way in every report. */
public final class Text {

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HM =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private Text() {}

    /** {@code " (rollback)"} or {@code " (verify)"} after a step's name; empty for the main walk. */
    public static String phaseSuffix(dev.runbook.model.Phase phase) {
        return phase == dev.runbook.model.Phase.STEPS ? "" : " (" + phase.wire() + ")";
    }

    /** {@code 2026-11-21 10:23:45 UTC}; "-" for null. */
    public static String dateTime(Instant t) {
        return t == null ? "-" : DATE_TIME.format(t);
    }

    /** {@code 10:23:45} (UTC). */
    public static String time(Instant t) {
        return TIME.format(t);
    }

    /** {@code 10:23} (UTC). */
    public static String hoursMinutes(Instant t) {
        return HM.format(t);
    }

    /** {@code 2026-11-21} (UTC). */
    public static String date(Instant t) {
        return DATE.format(t);
    }

    /** A duration in milliseconds for people: {@code 850ms}, {@code 12s}, {@code 4m05s}, {@code 1h02m}; "-" when negative (unknown). */
    public static String duration(long ms) {
        return ms < 0 ? "-" : Durations.format(Duration.ofMillis(ms));
    }

    /** A nullable duration in milliseconds; "-" for null. */
    public static String duration(Long ms) {
        return ms == null ? "-" : duration(ms.longValue());
    }

    /** Elapsed time since the start: {@code +00:04:05} (hours grow past 99 when needed). */
    public static String elapsed(long ms) {
        long s = Math.max(0, ms) / 1000;
        return String.format("+%02d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    /** How an SLA check reads: {@code met (12m00s to spare)}, {@code breached by 3m12s}, {@code pending (…left)}. */
    public static String sla(SlaCheck c) {
        String m = duration(Math.abs(c.marginMs()));
        switch (c.state()) {
            case "met":
                return "met (" + m + " to spare)";
            case "breached":
                return c.marginMs() > 0 && c.actualMs() == null
                        ? "BREACHED: closed without the service verified restored"
                        : "BREACHED by " + m;
            case "pending":
                return "pending (" + m + " left at the last event)";
            default:
                return "not met (closed without restoring the service)";
        }
    }
}
