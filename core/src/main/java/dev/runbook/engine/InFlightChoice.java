package dev.runbook.engine;

import java.util.Locale;
import java.util.Optional;

/**
 * What becomes of the in-flight step when an incident is resumed (docs/format.md, "Resume and
 * hand-off"): its attempt started and its outcome is unknown. Each choice is logged as an
 * {@code operator.decision}.
 */
public enum InFlightChoice {
    /** Run it again (decision {@code retry}). */
    RERUN("rerun"),
    /** The operator checked it happened (decision {@code done}; its result is empty). */
    DONE("done"),
    /** Leave it and go on with the next step (decision {@code skip}). */
    SKIP("skip"),
    /** End the incident {@code aborted} (decision {@code abort}). */
    ABORT("abort");

    private final String wire;

    InFlightChoice(String wire) {
        this.wire = wire;
    }

    /** The name given to {@code --in-flight}. */
    public String wire() {
        return wire;
    }

    /** The choice named {@code text} (case-insensitive), or empty. */
    public static Optional<InFlightChoice> of(String text) {
        for (InFlightChoice c : values()) {
            if (c.wire.equals(text == null ? null : text.toLowerCase(Locale.ROOT))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
