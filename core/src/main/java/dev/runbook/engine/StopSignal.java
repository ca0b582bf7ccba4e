package dev.runbook.engine;

/**
 * What stopped a run from outside (contract, "Exit codes"): the outcome is {@code interrupted}
 * and the exit code says which signal.
 */
public enum StopSignal {
    /** Ctrl-C. */
    INT("Ctrl-C", 130),
    /** {@code kill}, a service manager, a shutdown. */
    TERM("SIGTERM", 143),
    /** The terminal or the SSH session to the bastion went away. */
    HUP("SIGHUP", 129);

    private final String label;
    private final int exitCode;

    StopSignal(String label, int exitCode) {
        this.label = label;
        this.exitCode = exitCode;
    }

    /** How it is named in the log ({@code interrupted (SIGTERM)}). */
    public String label() {
        return label;
    }

    /** 128 + the signal's number. */
    public int exitCode() {
        return exitCode;
    }
}
