package dev.runbook.journal;

import java.util.List;

/** The event types of the incident log (contract, "The incident log"). */
public final class Events {

    /** First event: runbook, env, mode, operator, host, inputs, tool_version. */
    public static final String INCIDENT_OPENED = "incident.opened";
    /** An attempt of a step starts: step, attempt, action, target. */
    public static final String STEP_STARTED = "step.started";
    /** An attempt ends: step, attempt, status, duration_ms, result, error. */
    public static final String STEP_FINISHED = "step.finished";
    /** A choice of the operator: step, choice, reason. */
    public static final String OPERATOR_DECISION = "operator.decision";
    /** Free text from the operator: text, step. */
    public static final String NOTE = "note";
    /** The run turns to its rollback section: reason. */
    public static final String ROLLBACK_STARTED = "rollback.started";
    /** The rollback section ended: status. */
    public static final String ROLLBACK_FINISHED = "rollback.finished";
    /** A target of the runbook's SLA passed: sla, elapsed_ms. */
    public static final String SLA_BREACHED = "sla.breached";
    /** Last event: outcome, duration_ms. */
    public static final String INCIDENT_CLOSED = "incident.closed";

    /** Every type, in the contract's order. */
    public static final List<String> ALL = List.of(
            INCIDENT_OPENED,
            STEP_STARTED,
            STEP_FINISHED,
            OPERATOR_DECISION,
            NOTE,
            ROLLBACK_STARTED,
            ROLLBACK_FINISHED,
            SLA_BREACHED,
            INCIDENT_CLOSED);

    private Events() {}
}
