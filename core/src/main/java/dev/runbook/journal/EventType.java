package dev.runbook.journal;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** The event types of the incident log, in the contract's order (contract, "The incident log"). */
public enum EventType {
    /** First event: runbook, env, mode, operator, host, inputs, tool_version. */
    INCIDENT_OPENED("incident.opened"),
    /** An attempt of a step starts: step, attempt, action, target. */
    STEP_STARTED("step.started"),
    /** An attempt ends: step, attempt, status, duration_ms, result, error. */
    STEP_FINISHED("step.finished"),
    /** A choice of the operator: step, choice, reason. */
    OPERATOR_DECISION("operator.decision"),
    /** Free text from the operator: text, step. */
    NOTE("note"),
    /** The run turns to its rollback section: reason. */
    ROLLBACK_STARTED("rollback.started"),
    /** The rollback section ended: status. */
    ROLLBACK_FINISHED("rollback.finished"),
    /** A target of the runbook's SLA passed: sla, elapsed_ms. */
    SLA_BREACHED("sla.breached"),
    /** Last event: outcome, duration_ms. */
    INCIDENT_CLOSED("incident.closed"),
    /**
     * Extension (docs/format.md, "Resume and hand-off"): an unfinished or interrupted incident
     * continues in the same log: operator, host, previous_operator, from_seq, reason.
     */
    INCIDENT_RESUMED("incident.resumed"),
    /** Extension: a tier of the runbook's escalation fired: level, after, message, channel. */
    ESCALATION_TRIGGERED("escalation.triggered"),
    /** Extension: a post to a chat channel by the engine: channel, event, delivered, attempts, error. */
    NOTIFICATION_POSTED("notification.posted"),
    /** Extension: a step re-classified the incident: from, to, step, sla. */
    INCIDENT_SEVERITY_CHANGED("incident.severity_changed"),
    APPROVAL_REQUESTED("approval.requested"),
    APPROVAL_GRANTED("approval.granted"),
    APPROVAL_DENIED("approval.denied"),
    APPROVAL_REFUSED("approval.refused");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    /** The name written in the log's {@code type} field. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** True when {@code type} (a log's {@code type} field) names this event type. */
    public boolean is(String type) {
        return wire.equals(type);
    }

    /**
     * The event type of a log's {@code type} field.
     *
     * @param wire the field's value (anything, in a damaged or forged log)
     * @return the type, or empty when it is not one of the contract's
     */
    public static Optional<EventType> of(String wire) {
        for (EventType t : values()) {
            if (t.wire.equals(wire)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
