package dev.runbook.model;

/**
 * What an {@code operator.decision} chose (contract: {@code run}, {@code skip}, {@code retry},
 * {@code abort}, {@code rollback}, {@code done}, {@code goto:<id>}).
 */
public enum DecisionChoice {
    /** Run the step (or take a {@code choose} option that goes on with the next step). */
    RUN("run"),
    /** Skip the step. */
    SKIP("skip"),
    /** Run the failed step again. */
    RETRY("retry"),
    /** Stop the run. */
    ABORT("abort"),
    /** Turn to the rollback section. */
    ROLLBACK("rollback"),
    /** A manual step was done. */
    DONE("done"),
    /** Go to another step; written {@code goto:<id>}. */
    GOTO("goto:");

    private final String wire;

    DecisionChoice(String wire) {
        this.wire = wire;
    }

    /**
     * The contract's name of this choice.
     *
     * @param target the step id of a {@link #GOTO}; ignored otherwise
     * @return {@code run}, {@code skip}… or {@code goto:<target>}
     */
    public String wire(String target) {
        return this == GOTO ? wire + target : wire;
    }
}
