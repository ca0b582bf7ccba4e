package dev.runbook.engine;

/** How a run is driven (contract: {@code incident.opened.mode}). */
public enum Mode {
    /** A person answers prompts at a terminal. */
    INTERACTIVE("interactive"),
    /** {@code --yes}: unattended, decisions taken from the runbook. */
    AUTO("auto"),
    /** {@code --dry-run}: the plan is shown and logged; nothing touches the world. */
    DRY_RUN("dry-run"),
    /**
     * {@code runbook drill}: unattended as {@link #AUTO}, against the sandbox; an exercise, not an
     * incident ({@code log stats} leaves it out unless {@code --include-drills}).
     */
    DRILL("drill");

    private final String logName;

    Mode(String logName) {
        this.logName = logName;
    }

    /** True for the unattended modes ({@link #AUTO}, {@link #DRILL}): decisions come from the runbook. */
    public boolean unattended() {
        return this == AUTO || this == DRILL;
    }

    /**
     * True for the modes that are not incidents: dry-runs and drills (docs/format.md).
     *
     * @param logName a log's {@code incident.opened.mode}
     */
    public static boolean exercise(String logName) {
        return DRY_RUN.logName.equals(logName) || DRILL.logName.equals(logName);
    }

    /** The name written in the incident log. */
    public String logName() {
        return logName;
    }
}
