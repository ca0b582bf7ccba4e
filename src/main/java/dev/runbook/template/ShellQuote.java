package dev.runbook.template;

/**
 * POSIX shell quoting: any value becomes one single-quoted word for {@code /bin/sh}
 * (POSIX.1-2017, XCU 2.2.2: nothing is special between single quotes; a quote itself
 * is written {@code '"'"'}).
 */
public final class ShellQuote {

    private ShellQuote() {
    }

    /** The value as one shell word; the empty string gives {@code ''}. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
