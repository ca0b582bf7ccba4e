package dev.runbook.console;

import dev.runbook.approval.ApprovalCheck;
import dev.runbook.approval.ApprovalPayload;
import dev.runbook.approval.ApprovalSource;
import dev.runbook.signing.SigningKey;
import dev.runbook.signing.SshSig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Approvals typed at the runner's own terminal when there is no team store (docs/team.md,
 * "Approvals"): the approver, at the keyboard, approves or denies and signs with their own key (a
 * key file, or their ssh-agent). The signature is checked like one from the store: a key that is
 * the runner's, or not in allowed_signers, does not count.
 */
public final class TerminalApprovals implements ApprovalSource {

    private final ConsoleOperator console;
    private final Map<String, String> env;

    /**
     * @param console the runner's console
     * @param env the process environment ({@code SSH_AUTH_SOCK} for an approver's agent)
     */
    public TerminalApprovals(ConsoleOperator console, Map<String, String> env) {
        this.console = console;
        this.env = env;
    }

    @Override
    public Arrival next(ApprovalCheck.Pending pending, String command, long waitMs) {
        while (true) {
            String a = console.askLine(
                    "Approver (not " + pending.runner() + "): [a]pprove, [d]eny, or [s]top waiting (the step fails)? ");
            if (a == null || a.equalsIgnoreCase("s")) {
                return new Abandoned(
                        a == null ? "end of input at the approval prompt" : "the responder stopped waiting");
            }
            ApprovalPayload.Decision decision = a.equalsIgnoreCase("a")
                    ? ApprovalPayload.Decision.GRANTED
                    : a.equalsIgnoreCase("d") ? ApprovalPayload.Decision.DENIED : null;
            if (decision == null) {
                continue;
            }
            String file = console.askLine("Approver's private key file (empty: the first key of ssh-agent): ");
            if (file == null) {
                return new Abandoned("end of input at the approval prompt");
            }
            Optional<SigningKey> key;
            try {
                key = file.isEmpty()
                        ? SigningKey.find(null, Map.of("SSH_AUTH_SOCK", env.getOrDefault("SSH_AUTH_SOCK", "")))
                        : Optional.of(SigningKey.fromFile(Path.of(file)));
            } catch (RuntimeException e) {
                console.info("✗ " + e.getMessage());
                continue;
            }
            if (key.isEmpty()) {
                console.info("✗ no key in ssh-agent: give the approver's key file");
                continue;
            }
            ApprovalPayload p = new ApprovalPayload(
                    pending.incident(),
                    pending.step(),
                    pending.request(),
                    pending.attempt(),
                    pending.commandSha256(),
                    decision);
            try {
                return new Some(
                        List.of(new Submitted(p.text(), SshSig.sign(p.bytes(), key.get(), ApprovalPayload.NAMESPACE))));
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                console.info("✗ signing with " + key.get().source() + " failed: " + e.getMessage());
            }
        }
    }

    @Override
    public String via() {
        return "terminal";
    }
}
