package dev.runbook.report;

/**
 * The outcome of checking a log's hash chain before it is reported on
 * (built from {@code journal.JournalVerifier.Result}).
 *
 * @param ok true when the whole chain holds
 * @param events how many lines the log has
 * @param badLine 1-based number of the first bad line; 0 when ok
 * @param reason why that line is bad; null when ok
 */
public record Integrity(boolean ok, int events, int badLine, String reason) {

    /** One line for people: {@code chain intact} or {@code line 4: prev does not match…}. */
    public String describe() {
        return ok ? "chain intact (" + events + " events)" : "FAILED at line " + badLine + ": " + reason;
    }
}
