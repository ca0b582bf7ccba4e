package dev.runbook.engine;

/** How an incident run ended (contract: {@code incident.closed.outcome}) and its exit code. */
public enum Outcome {
    /** The run reached the end. */
    RESOLVED("resolved", 0),
    /** A step failed and the runbook said abort, or the rollback itself failed. */
    FAILED("failed", 1),
    /** The operator aborted. */
    ABORTED("aborted", 1),
    /** The run turned to rollback and the rollback section ran. */
    ROLLED_BACK("rolled_back", 1),
    /** Ctrl-C (SIGINT). */
    INTERRUPTED("interrupted", 130);

    private final String logName;
    private final int exitCode;

    Outcome(String logName, int exitCode) {
        this.logName = logName;
        this.exitCode = exitCode;
    }

    /** The name written in the log. */
    public String logName() {
        return logName;
    }

    /** The exit code of {@code runbook run} (contract, "Exit codes"). */
    public int exitCode() {
        return exitCode;
    }
}
