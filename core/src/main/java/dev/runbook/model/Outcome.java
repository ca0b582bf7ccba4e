package dev.runbook.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** How an incident run ended (contract: {@code incident.closed.outcome}) and its exit code. */
public enum Outcome {
    /** The run reached the end (and its {@code verify} section, if any, passed). */
    RESOLVED("resolved", 0),
    /** The run reached the end, but its {@code verify} section failed. */
    UNRESOLVED("unresolved", 1),
    /** A step failed and the runbook said abort, or the rollback itself failed. */
    FAILED("failed", 1),
    /** The operator aborted. */
    ABORTED("aborted", 1),
    /** The run turned to rollback and the rollback section ran. */
    ROLLED_BACK("rolled_back", 1),
    /** Ctrl-C (SIGINT). */
    INTERRUPTED("interrupted", 130);

    private final String wire;
    private final int exitCode;

    Outcome(String wire, int exitCode) {
        this.wire = wire;
        this.exitCode = exitCode;
    }

    /** The name written in the log. */
    @JsonValue
    public String logName() {
        return wire;
    }

    /** The exit code of {@code runbook run} (contract, "Exit codes"). */
    public int exitCode() {
        return exitCode;
    }

    /** True when the service was restored: {@code resolved} or {@code rolled_back}. */
    public boolean restored() {
        return this == RESOLVED || this == ROLLED_BACK;
    }

    /**
     * The outcome of a contract name.
     *
     * @param wire a name as written in a log
     * @return the outcome, or empty when the name is not one of the contract's
     */
    public static Optional<Outcome> of(Object wire) {
        for (Outcome o : values()) {
            if (o.wire.equals(wire)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
