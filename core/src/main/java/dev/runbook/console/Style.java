package dev.runbook.console;

/** ANSI styles for the terminal, or none (when {@code --no-color}, {@code NO_COLOR} or not a TTY). */
public final class Style {

    private final boolean on;

    /** @param on true to emit ANSI escape codes */
    public Style(boolean on) {
        this.on = on;
    }

    private String wrap(String code, String s) {
        return on ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    /** Bold text. */
    public String bold(String s) {
        return wrap("1", s);
    }

    /** Dimmed text. */
    public String dim(String s) {
        return wrap("2", s);
    }

    /** Red text (failures). */
    public String red(String s) {
        return wrap("31", s);
    }

    /** Green text (successes). */
    public String green(String s) {
        return wrap("32", s);
    }

    /** Yellow text (warnings, stderr). */
    public String yellow(String s) {
        return wrap("33", s);
    }

    /** Cyan text (step headers). */
    public String cyan(String s) {
        return wrap("36", s);
    }

    /** True when escape codes are emitted. */
    public boolean on() {
        return on;
    }
}
