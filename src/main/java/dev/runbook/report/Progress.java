package dev.runbook.report;

/**
 * The report's own word for what the log does not close: an incident without {@code
 * incident.closed}, an attempt without {@code step.finished}. Not a contract name: the contract's
 * are {@link dev.runbook.model.StepStatus} and {@link dev.runbook.model.Outcome}.
 */
public enum Progress {
    /** The log stops before it ends. */
    UNFINISHED;

    /** The word shown in reports and stats. */
    public String label() {
        return "unfinished";
    }

    /** True when a status or outcome label is this one. */
    public boolean is(String label) {
        return label().equals(label);
    }
}
