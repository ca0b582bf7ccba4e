package dev.runbook.report;

/**
 * The outcome of checking a log's hash chain before it is reported on
 * (built from {@code journal.JournalVerifier.Result}).
 *
 * @param ok true when the whole chain holds
 * @param events how many lines the log has
 * @param badLine 1-based number of the first bad line; 0 when ok
 * @param reason why that line is bad; null when ok
 * @param torn true when a last line torn by a crash was left out: the run ended abruptly
 */
public record Integrity(boolean ok, int events, int badLine, String reason, boolean torn) {

    /** One line for people: {@code chain intact} or {@code line 4: prev does not match…}. */
    public String describe() {
        String tail = torn ? "; the last line was torn by a crash while it was written: the run ended abruptly" : "";
        return ok ? "chain intact (" + events + " events)" + tail : "FAILED at line " + badLine + ": " + reason;
    }
}
