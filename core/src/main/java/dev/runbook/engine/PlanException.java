package dev.runbook.engine;

/**
 * The run cannot start: a missing input or secret, an unknown environment, host or
 * database, an unattended run that would need a person. Nothing was executed and no log
 * was written (exit 2).
 */
public class PlanException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message one line naming the runbook file, step and problem */
    public PlanException(String message) {
        super(message);
    }
}
