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
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = FORMAT.matcher(t);
        Duration d = Duration.ZERO;
        int end = 0;
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
        }
        if (t.isEmpty() || end != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (write 250ms, 10s, 5m or 2h)");
        }
        return d;
    }

    /** Formats for people (and for {@link #parse}): {@code 850ms}, {@code 12s}, {@code 5m}, {@code 4m05s}, {@code 1h02m}. */
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
