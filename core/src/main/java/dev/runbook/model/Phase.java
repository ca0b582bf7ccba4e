package dev.runbook.model;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The section of a runbook a step belongs to: {@code steps} (the walk), {@code rollback} or
 * {@code verify} (the resolution checks, docs/format.md "verify"). Step events of the rollback
 * and verify sections carry it as {@code phase}; main steps carry none.
 */
public enum Phase {
    /** The main walk ({@code steps:}). */
    STEPS("steps"),
    /** The rollback section. */
    ROLLBACK("rollback"),
    /** The resolution checks ({@code verify:}). */
    VERIFY("verify");

    private final String wire;

    Phase(String wire) {
        this.wire = wire;
    }

    /** The section's key in a runbook, and the value of {@code phase} in the log. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /**
     * The phase of a log's {@code phase} field.
     *
     * @param wire the field's value; null or unknown means the main walk
     */
    public static Phase of(Object wire) {
        for (Phase p : values()) {
            if (p.wire.equals(wire)) {
                return p;
            }
        }
        return STEPS;
    }

    @Override
    public String toString() {
        return wire;
    }
}
