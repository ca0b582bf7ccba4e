package dev.runbook.template;

/** POSIX single quoting, for showing a command to a person (never for building one that runs). */
public final class ShellQuote {

    private ShellQuote() {}

    /**
     * The value as one single-quoted word ({@code it's} → {@code 'it'"'"'s'}); a value made only
     * of characters no shell treats specially is shown as it is.
     */
    public static String quote(String value) {
        if (!value.isEmpty() && value.matches("[A-Za-z0-9_./:@%+=,-]+")) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
