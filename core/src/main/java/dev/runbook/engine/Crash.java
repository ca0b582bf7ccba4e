package dev.runbook.engine;

/**
 * A bug in the tool stopped the walk (contract, "Exit codes": 3): an exception inside an action
 * or the engine. The step ends {@code failed} with {@code internal error: …}, its {@code
 * on_failure} is NOT followed (no automatic rollback on a bug), and the log is closed {@code
 * failed} with the error.
 */
public final class Crash extends Exception {

    private static final long serialVersionUID = 1L;

    private final String step;

    /**
     * @param step the step that was running, or null outside a step
     * @param cause the exception
     */
    Crash(String step, Throwable cause) {
        super("internal error" + (step == null ? "" : " in step '" + step + "'") + ": " + cause, cause);
        this.step = step;
    }

    /** The step that was running, or null. */
    public String step() {
        return step;
    }
}
