package dev.runbook.report;

/**
 * The report's own word for what the log does not close: an incident without {@code
 * incident.closed}, an attempt without {@code step.finished}. Not a contract name: the contract's
 * are {@link dev.runbook.model.StepStatus} and {@link dev.runbook.model.Outcome}.
 */
public enum Progress {
    /** The log stops before it ends. */
    UNFINISHED("unfinished"),
    /** The log stops with a line torn by a crash while it was written. */
    ENDED_ABRUPTLY("ended abruptly");

    private final String label;

    Progress(String label) {
        this.label = label;
    }

    /** The words shown in reports and stats. */
    public String label() {
        return label;
    }

    /** True when a status or outcome label is this one. */
    public boolean is(String label) {
        return label().equals(label);
    }
}
