package dev.runbook.cli;

/** Exit codes of {@code runbook} (contract, "Exit codes of runbook run"). */
public final class ExitCodes {

    /** The run reached the end (resolved); a valid dry-run; a command that worked. */
    public static final int OK = 0;
    /** The run ended failed, aborted or rolled back; validate or verify found a problem. */
    public static final int FAILED = 1;
    /** Usage error, invalid runbook or inventory: nothing was executed. */
    public static final int USAGE = 2;
    /** Interrupted (SIGINT). */
    public static final int INTERRUPTED = 130;
    /** A bug in the tool stopped the walk; the log is closed {@code failed} with the error (contract). */
    public static final int INTERNAL = 3;

    private ExitCodes() {}
}
