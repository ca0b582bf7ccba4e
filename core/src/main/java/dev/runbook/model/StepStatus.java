package dev.runbook.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * How an attempt of a step ended (contract: {@code step.finished.status}, and
 * {@code steps.<id>.status} in templates).
 */
public enum StepStatus {
    /** The action ran and every {@code expect}/{@code check} held. */
    SUCCEEDED("succeeded"),
    /** The action errored, or an {@code expect}/{@code check} was false. */
    FAILED("failed"),
    /** The step did not run ({@code when} false, the operator, unattended, dry-run). */
    SKIPPED("skipped"),
    /** The attempt passed its timeout. */
    TIMED_OUT("timed_out");

    private final String wire;

    StepStatus(String wire) {
        this.wire = wire;
    }

    /** The contract's name, as written in the log and seen by templates. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** True for a step that did not fail: succeeded or skipped. */
    public boolean ok() {
        return this == SUCCEEDED || this == SKIPPED;
    }

    /**
     * The status of a contract name.
     *
     * @param wire a name as written in a log (may be anything in a forged log)
     * @return the status, or empty when the name is not one of the contract's
     */
    public static Optional<StepStatus> of(Object wire) {
        for (StepStatus s : values()) {
            if (s.wire.equals(wire)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
