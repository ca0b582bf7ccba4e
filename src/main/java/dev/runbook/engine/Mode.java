package dev.runbook.engine;

/** How a run is driven (contract: {@code incident.opened.mode}). */
public enum Mode {
    /** A person answers prompts at a terminal. */
    INTERACTIVE("interactive"),
    /** {@code --yes}: unattended, decisions taken from the runbook. */
    AUTO("auto"),
    /** {@code --dry-run}: the plan is shown and logged; nothing touches the world. */
    DRY_RUN("dry-run");

    private final String logName;

    Mode(String logName) {
        this.logName = logName;
    }

    /** The name written in the incident log. */
    public String logName() {
        return logName;
    }
}
