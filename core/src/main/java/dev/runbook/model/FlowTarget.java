package dev.runbook.model;

/**
 * Where {@code on_failure} or {@code on_success} sends the walk (contract, "A step"):
 * {@code next}, {@code end}, {@code abort}, {@code continue}, {@code rollback} or a step id.
 */
public sealed interface FlowTarget {

    /** Go on with the next step ({@code on_success} default). */
    record Next() implements FlowTarget {}

    /** End the walk ({@code on_success: end}, or a {@code goto} to {@code end}). */
    record End() implements FlowTarget {}

    /** Stop the run, outcome {@code failed} ({@code on_failure} default). */
    record Abort() implements FlowTarget {}

    /** Go on with the next step despite the failure ({@code on_failure: continue}). */
    record Continue() implements FlowTarget {}

    /** Turn to the rollback section. */
    record Rollback() implements FlowTarget {}

    /**
     * Go to a step.
     *
     * @param step the step id
     */
    record Goto(String step) implements FlowTarget {}

    /** {@code next}. */
    FlowTarget NEXT = new Next();
    /** {@code end}. */
    FlowTarget END = new End();
    /** {@code abort}. */
    FlowTarget ABORT = new Abort();
    /** {@code continue}. */
    FlowTarget CONTINUE = new Continue();
    /** {@code rollback}. */
    FlowTarget ROLLBACK = new Rollback();

    /**
     * Reads a value of {@code on_failure}, {@code on_success} or a {@code goto}.
     *
     * @param text the YAML value
     * @return the keyword's target, else a {@link Goto} to that step id
     */
    static FlowTarget parse(String text) {
        return switch (text) {
            case "next" -> NEXT;
            case "end" -> END;
            case "abort" -> ABORT;
            case "continue" -> CONTINUE;
            case "rollback" -> ROLLBACK;
            default -> new Goto(text);
        };
    }

    /** The value as written in a runbook. */
    default String text() {
        if (this instanceof Goto g) {
            return g.step();
        }
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
