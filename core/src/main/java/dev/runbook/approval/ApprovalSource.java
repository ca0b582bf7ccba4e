package dev.runbook.approval;

import java.util.List;

/**
 * Where a waiting run receives approvals (docs/team.md, "Approvals"): the team store, where
 * {@code runbook approve} puts them from any machine, or the runner's own terminal, where an
 * approver signs with their own key.
 */
public interface ApprovalSource {

    /**
     * One submitted approval, not yet checked.
     *
     * @param payload the text signed ({@link ApprovalPayload#text()})
     * @param signature the armored SSHSIG
     */
    record Submitted(String payload, String signature) {}

    /** What the wait brought. */
    sealed interface Arrival permits Some, Abandoned {}

    /** Approvals submitted since the last call (possibly none). */
    record Some(List<Submitted> items) implements Arrival {}

    /** The responder stopped waiting. */
    record Abandoned(String why) implements Arrival {}

    /**
     * Waits for the next submissions.
     *
     * @param pending the request waited on
     * @param command the command to approve, as the log shows it
     * @param waitMs the longest wait, in ms (a terminal prompt may wait for its line instead)
     * @return what arrived
     * @throws InterruptedException when the run is being stopped
     */
    Arrival next(ApprovalCheck.Pending pending, String command, long waitMs) throws InterruptedException;

    /** How approvals arrive, for the log: {@code store} or {@code terminal}. */
    String via();
}
