package dev.runbook.model;

import java.time.Duration;
import java.util.List;

/**
 * A step's approval rule (step key {@code approval:}, docs/team.md "Approvals"): before the step
 * runs, {@code min} people other than the runner, each holding one of the {@code from} principals
 * in the library's OpenSSH {@code allowed_signers} file, sign the exact resolved command.
 *
 * @param from principals any of which qualifies an approver (a person's name or a role: {@code ic},
 *     {@code dba}); empty: anyone the allowed_signers file lists
 * @param min how many distinct approvers are needed (at least 1)
 * @param timeout how long the run waits for them before the step fails
 */
public record Approval(List<String> from, int min, Duration timeout) {

    /** The default wait: 30 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    /**
     * The rule of a {@code dangerous} step in a {@code protected} environment when the step
     * declares none and the library has an allowed_signers file: one approver, anyone listed.
     */
    public static final Approval DEFAULT = new Approval(List.of(), 1, DEFAULT_TIMEOUT);
}
