package dev.runbook.engine;

/**
 * What the runbook's {@code verify} section said about the service (docs/format.md, "verify").
 *
 * @param state whether the checks ran and how they ended
 * @param check the id of the check that failed; null unless {@link State#FAILED}
 * @param error that check's last error, one line; null unless {@link State#FAILED}
 */
public record Verification(State state, String check, String error) {

    /** How the checks ended. */
    public enum State {
        /** Every check passed: the service was verified. */
        PASSED,
        /** A check failed after its last attempt. */
        FAILED,
        /** The runbook declares no {@code verify} section. */
        NONE,
        /** The walk never reached its end nor completed a rollback, so nothing was checked. */
        NOT_RUN
    }

    /** Every check passed. */
    public static final Verification PASSED = new Verification(State.PASSED, null, null);
    /** No verify section. */
    public static final Verification NONE = new Verification(State.NONE, null, null);
    /** Not reached. */
    public static final Verification NOT_RUN = new Verification(State.NOT_RUN, null, null);

    /** A failed check with its last error. */
    public static Verification failed(String check, String error) {
        return new Verification(State.FAILED, check, error);
    }

    /** True only when the checks ran and passed. */
    public boolean verified() {
        return state == State.PASSED;
    }
}
