package dev.runbook.journal;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.runbook.model.Outcome;
import dev.runbook.model.Phase;
import dev.runbook.model.StepStatus;
import java.util.List;
import java.util.Map;

/**
 * One event of the incident log with exactly the contract's own fields (contract, "The incident
 * log"; the envelope {@code seq, ts, type, incident, prev} is added by {@link JournalWriter}).
 * Record components are written in order, in snake_case ({@code durationMs} → {@code
 * duration_ms}); enums as their contract names.
 */
public sealed interface Event {

    /** The event's type. */
    @JsonIgnore
    EventType type();

    /**
     * {@code incident.opened}.
     *
     * @param runbook {@code {id, title, severity, path, sha256}}
     * @param env the environment's name, or null
     * @param mode {@code interactive}, {@code auto} or {@code dry-run}
     * @param operator who runs it
     * @param host the operator's machine
     * @param inputs the inputs given before step 1 (secrets masked by the writer)
     * @param toolVersion the tool's version
     * @param sla extension: {@code {respond, resolve}} durations as written ("5m"), so exports
     *     judge the SLA from the log alone
     * @param startAt extension: the step a {@code --start-at} run started at; null, and not written,
     *     otherwise
     * @param parent extension: {@code {incident, step}} of the incident whose {@code runbook:} step
     *     started this one; null, and not written, otherwise
     */
    record IncidentOpened(
            Map<String, Object> runbook,
            String env,
            String mode,
            String operator,
            String host,
            Map<String, Object> inputs,
            String toolVersion,
            Map<String, String> sla,
            @JsonInclude(JsonInclude.Include.NON_NULL) String startAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> parent)
            implements Event {

        /** A run that starts at its first step. */
        public IncidentOpened(
                Map<String, Object> runbook,
                String env,
                String mode,
                String operator,
                String host,
                Map<String, Object> inputs,
                String toolVersion,
                Map<String, String> sla) {
            this(runbook, env, mode, operator, host, inputs, toolVersion, sla, null, null);
        }

        @Override
        public EventType type() {
            return EventType.INCIDENT_OPENED;
        }
    }

    /**
     * {@code step.started}.
     *
     * @param step the step id
     * @param attempt 1-based
     * @param action the action key
     * @param target the resolved command / URL / query (masked by the writer); null when it
     *     could not be resolved
     * @param phase extension: {@code rollback} or {@code verify} for a step of that section; null, and
     *     not written, for a step of the main walk
     */
    record StepStarted(
            String step,
            int attempt,
            String action,
            String target,
            @JsonInclude(JsonInclude.Include.NON_NULL) Phase phase)
            implements Event {

        /** A step of the main walk (no {@code phase}). */
        public StepStarted(String step, int attempt, String action, String target) {
            this(step, attempt, action, target, null);
        }

        @Override
        public EventType type() {
            return EventType.STEP_STARTED;
        }
    }

    /**
     * {@code step.finished}.
     *
     * @param step the step id
     * @param attempt 1-based; 0 for a step skipped before any attempt
     * @param status how it ended
     * @param durationMs how long the attempt took, in milliseconds
     * @param result the result fields (truncated; masked by the writer)
     * @param error one line; null on success
     * @param phase extension: {@code rollback} or {@code verify} for a step of that section; null, and
     *     not written, for a step of the main walk
     */
    record StepFinished(
            String step,
            int attempt,
            StepStatus status,
            long durationMs,
            Map<String, Object> result,
            String error,
            @JsonInclude(JsonInclude.Include.NON_NULL) Phase phase)
            implements Event {

        /** A step of the main walk (no {@code phase}). */
        public StepFinished(
                String step,
                int attempt,
                StepStatus status,
                long durationMs,
                Map<String, Object> result,
                String error) {
            this(step, attempt, status, durationMs, result, error, null);
        }

        @Override
        public EventType type() {
            return EventType.STEP_FINISHED;
        }
    }

    /**
     * {@code operator.decision}.
     *
     * @param step the step id
     * @param choice {@code run}, {@code skip}, {@code retry}, {@code abort}, {@code rollback},
     *     {@code done} or {@code goto:<id>} ({@link dev.runbook.model.DecisionChoice#wire})
     * @param reason who or what decided
     */
    record OperatorDecision(String step, String choice, String reason) implements Event {
        @Override
        public EventType type() {
            return EventType.OPERATOR_DECISION;
        }
    }

    /**
     * {@code note}.
     *
     * @param text the note
     * @param step the step it is about; null (and not written) for the incident as a whole
     */
    record Note(
            String text,
            @JsonInclude(JsonInclude.Include.NON_NULL) String step) implements Event {
        @Override
        public EventType type() {
            return EventType.NOTE;
        }
    }

    /**
     * {@code rollback.started}.
     *
     * @param reason why the run turned to rollback
     */
    record RollbackStarted(String reason) implements Event {
        @Override
        public EventType type() {
            return EventType.ROLLBACK_STARTED;
        }
    }

    /**
     * {@code rollback.finished}.
     *
     * @param status {@code succeeded} or {@code failed}
     */
    record RollbackFinished(StepStatus status) implements Event {
        @Override
        public EventType type() {
            return EventType.ROLLBACK_FINISHED;
        }
    }

    /**
     * {@code sla.breached}.
     *
     * @param sla {@code respond} or {@code resolve}
     * @param elapsedMs time since the incident opened, in milliseconds
     */
    record SlaBreached(String sla, long elapsedMs) implements Event {
        @Override
        public EventType type() {
            return EventType.SLA_BREACHED;
        }
    }

    /**
     * {@code incident.closed}.
     *
     * @param outcome how it ended
     * @param durationMs time since the incident opened, in milliseconds
     * @param error extension: why a bug stopped the walk (exit 3); null, and not written, otherwise
     * @param verified extension: true only when the runbook's {@code verify} section ran and every
     *     check passed; false for a runbook without one, and for every other end
     */
    record IncidentClosed(
            Outcome outcome,
            long durationMs,
            @JsonInclude(JsonInclude.Include.NON_NULL) String error,
            boolean verified) implements Event {
        @Override
        public EventType type() {
            return EventType.INCIDENT_CLOSED;
        }
    }

    /**
     * {@code incident.resumed} (extension, docs/format.md "Resume and hand-off"): the incident
     * continues in the same log, by the same operator or another one (a hand-off).
     *
     * @param operator who continues it
     * @param host the machine it continues on
     * @param previousOperator who held it until it stopped
     * @param fromSeq the {@code seq} of the last event before this one
     * @param reason why it stopped, as the log shows it ("killed: no incident.closed",
     *     "interrupted (Ctrl-C)"), and where the walk goes on
     */
    record IncidentResumed(String operator, String host, String previousOperator, long fromSeq, String reason)
            implements Event {
        @Override
        public EventType type() {
            return EventType.INCIDENT_RESUMED;
        }
    }

    /**
     * {@code escalation.triggered} (extension, docs/format.md "Escalation on the clock").
     *
     * @param level the tier, 1-based in file order
     * @param after its time since the incident opened, as written ("15m")
     * @param message the rendered message (masked by the writer)
     * @param channel the channel it is posted to; null when shown and logged only
     */
    record EscalationTriggered(int level, String after, String message, String channel) implements Event {
        @Override
        public EventType type() {
            return EventType.ESCALATION_TRIGGERED;
        }
    }

    /**
     * {@code notification.posted} (extension, docs/format.md "Chat channels"): a post of the engine
     * (an escalation, an update), delivered or not.
     *
     * @param channel the channel's name
     * @param event what it was about: {@code escalation}, {@code opened}, {@code sla}, {@code update},
     *     {@code closed}
     * @param delivered a 2xx answer was received
     * @param attempts attempts made
     * @param error the last attempt's error; null when delivered
     */
    record NotificationPosted(String channel, String event, boolean delivered, int attempts, String error)
            implements Event {
        @Override
        public EventType type() {
            return EventType.NOTIFICATION_POSTED;
        }
    }

    /**
     * {@code incident.severity_changed} (extension, docs/format.md "Severity changes").
     *
     * @param from the severity before (P1..P4)
     * @param to the severity now
     * @param step the step that re-classified it
     * @param sla the targets of the new severity, {@code {respond, resolve}} as written ("15m"), so
     *     exports judge the SLA from the log alone
     */
    record IncidentSeverityChanged(String from, String to, String step, Map<String, String> sla) implements Event {
        @Override
        public EventType type() {
            return EventType.INCIDENT_SEVERITY_CHANGED;
        }
    }

    /**
     * {@code approval.requested} (extension, docs/team.md "Approvals"): the step waits for
     * approval; its own {@code seq} is the request number approvers sign.
     *
     * @param step the step
     * @param attempt the step's attempt about to run
     * @param command the exact resolved command (masked by the writer, as approvers see it)
     * @param commandSha256 SHA-256 (hex) of {@code command} as written
     * @param from the qualifying principals; empty: anyone allowed_signers lists
     * @param min approvers needed
     * @param timeoutMs how long the run waits, in ms
     */
    record ApprovalRequested(
            String step, int attempt, String command, String commandSha256, List<String> from, int min, long timeoutMs)
            implements Event {
        @Override
        public EventType type() {
            return EventType.APPROVAL_REQUESTED;
        }
    }

    /**
     * {@code approval.granted} (extension, docs/team.md "Approvals"): a verified approval.
     *
     * @param step the step
     * @param request the {@code approval.requested} seq it answers
     * @param approver the signer's first principal (the person)
     * @param principals all of the signer's principals (their roles)
     * @param key the signer's key fingerprint
     * @param signature the armored SSHSIG over the payload (docs/team.md), kept as proof
     * @param via how it arrived: {@code store} or {@code terminal}
     */
    record ApprovalGranted(
            String step,
            long request,
            String approver,
            List<String> principals,
            String key,
            String signature,
            String via)
            implements Event {
        @Override
        public EventType type() {
            return EventType.APPROVAL_GRANTED;
        }
    }

    /**
     * {@code approval.denied} (extension, docs/team.md "Approvals"): a verified denial; the step
     * fails. Fields as {@link ApprovalGranted}.
     */
    record ApprovalDenied(
            String step,
            long request,
            String approver,
            List<String> principals,
            String key,
            String signature,
            String via)
            implements Event {
        @Override
        public EventType type() {
            return EventType.APPROVAL_DENIED;
        }
    }

    /**
     * {@code approval.refused} (extension, docs/team.md "Approvals"): a submitted approval that does
     * not count (self-approval, unknown key, wrong role, another command, a replay).
     *
     * @param step the step
     * @param request the {@code approval.requested} seq it was received for
     * @param by the person its key belongs to, else the key's fingerprint
     * @param key the key's fingerprint, or null when the signature could not be read
     * @param reason why it does not count
     */
    record ApprovalRefused(String step, long request, String by, String key, String reason) implements Event {
        @Override
        public EventType type() {
            return EventType.APPROVAL_REFUSED;
        }
    }
}
