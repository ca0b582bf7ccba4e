package dev.runbook.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the contract writes them: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}. */
public final class Durations {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @param text for example {@code 10s}; one or more number-unit pairs ({@code 1m30s})
     * @return the duration
     * @throws IllegalArgumentException when the text is not of that form
     */
    /** The shortest duration a runbook may give: 1 ms. */
    public static final Duration MIN = Duration.ofMillis(1);
    /** The longest duration a runbook may give: 7 days. */
    public static final Duration MAX = Duration.ofDays(7);

    /**
     * Parses a duration of the contract ({@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, or
     * several: {@code 1m30s}), bounded to 1 ms … 7 days.
     *
     * @throws IllegalArgumentException when the text is not a duration, or is 0 or over 7 days
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = FORMAT.matcher(t);
        Duration d = Duration.ZERO;
        int end = 0;
        try {
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            default -> Duration.ofHours(n);
                        });
                end = m.end();
                if (d.compareTo(MAX) > 0) {
                    break;
                }
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is longer than the 7 days a duration may be");
        }
        if (d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'" + text + "' is longer than the 7 days a duration may be");
        }
        if (t.isEmpty() || end != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (write 250ms, 10s, 5m or 2h)");
        }
        if (d.compareTo(MIN) < 0) {
            throw new IllegalArgumentException("'" + text + "' is zero: a duration is at least 1ms");
        }
        return d;
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 0) {
            return "-" + format(d.negated());
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? s / 60 + "m" : String.format("%dm%02ds", s / 60, s % 60);
        }
        long m = (s % 3600) / 60;
        return m == 0 ? s / 3600 + "h" : String.format("%dh%02dm", s / 3600, m);
    }
}
