package dev.runbook.approval;

import dev.runbook.signing.AllowedSigners;
import dev.runbook.signing.SshSig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Decides whether one submitted approval counts (docs/team.md, "Approvals"). It counts when its
 * signature is a valid SSHSIG in the namespace {@link ApprovalPayload#NAMESPACE} over the payload,
 * by a key the library's {@code allowed_signers} lists (principals: the person first, then their
 * roles); the payload names this incident, step, request and attempt and the hash of the command
 * the runner is about to run; the signer is not the runner (by name or by key); one of the
 * signer's principals is in the step's {@code from} (any listed signer when it is empty); and
 * neither this signature nor this person was counted for the request already.
 */
public final class ApprovalCheck {

    private ApprovalCheck() {}

    /**
     * The pending request as the runner knows it.
     *
     * @param incident the incident id
     * @param step the step id
     * @param request the {@code approval.requested} event's seq
     * @param attempt the step's attempt
     * @param commandSha256 the hash of the command about to run
     * @param from the qualifying principals; empty: anyone listed
     * @param runner the runner's operator name
     * @param runnerKey the runner's signing key (SSH wire blob), or null when the run has none
     */
    public record Pending(
            String incident,
            String step,
            long request,
            int attempt,
            String commandSha256,
            List<String> from,
            String runner,
            byte[] runnerKey) {}

    /** What one submitted approval amounted to. */
    public sealed interface Verdict permits Counted, Refused {}

    /**
     * A valid approval or denial.
     *
     * @param decision granted or denied
     * @param person the signer's first principal
     * @param principals all of the signer's principals
     * @param key the signer's key fingerprint ({@code SHA256:…})
     */
    public record Counted(ApprovalPayload.Decision decision, String person, List<String> principals, String key)
            implements Verdict {}

    /**
     * Refused, with why.
     *
     * @param by who it claims or proves to be from (a person, else a key fingerprint, else "unknown")
     * @param key the signing key's fingerprint, or null when the signature could not be read
     * @param reason one line
     */
    public record Refused(String by, String key, String reason) implements Verdict {}

    /**
     * Checks one submitted approval.
     *
     * @param payload the text the approver signed
     * @param signature the armored SSHSIG
     * @param signers the library's allowed_signers
     * @param pending the request being waited on
     * @param seenSignatures signatures already counted for this request (replays)
     * @param counted people already counted for this request
     */
    public static Verdict check(
            String payload,
            String signature,
            AllowedSigners signers,
            Pending pending,
            Set<String> seenSignatures,
            Set<String> counted) {
        SshSig.Checked c;
        try {
            c = SshSig.check(payload.getBytes(StandardCharsets.UTF_8), signature, ApprovalPayload.NAMESPACE);
        } catch (IllegalArgumentException e) {
            return new Refused("unknown", null, "the signature cannot be read: " + e.getMessage());
        }
        String fp = c.fingerprint();
        List<String> principals = signers.principals(c.publicKeyBlob()).orElse(null);
        String by = principals == null ? fp : principals.get(0);
        if (!c.valid()) {
            return new Refused(
                    by,
                    fp,
                    "the signature does not match what was sent (tampered, or signed for another" + " namespace than "
                            + ApprovalPayload.NAMESPACE + ")");
        }
        if (principals == null) {
            return new Refused(by, fp, "key " + fp + " is not in allowed_signers");
        }
        ApprovalPayload p;
        try {
            p = ApprovalPayload.parse(payload);
        } catch (IllegalArgumentException e) {
            return new Refused(by, fp, e.getMessage());
        }
        if (!p.incident().equals(pending.incident())
                || !p.step().equals(pending.step())
                || p.request() != pending.request()
                || p.attempt() != pending.attempt()) {
            return new Refused(
                    by,
                    fp,
                    "replayed: it approves " + p.incident() + " step " + p.step() + " request " + p.request()
                            + " attempt " + p.attempt() + ", not this request (" + pending.request() + ", attempt "
                            + pending.attempt() + ")");
        }
        if (!p.commandSha256().equals(pending.commandSha256())) {
            return new Refused(
                    by,
                    fp,
                    "it was signed over another command (sha256 " + p.commandSha256() + "): not the one to run");
        }
        if (seenSignatures.contains(signature.strip())) {
            return new Refused(by, fp, "replayed: this signature was already received for this request");
        }
        String person = principals.get(0);
        if (person.equals(pending.runner())
                || (pending.runnerKey() != null && Arrays.equals(pending.runnerKey(), c.publicKeyBlob()))) {
            return new Refused(person, fp, "self-approval: " + person + " runs this incident; another person approves");
        }
        if (!pending.from().isEmpty() && principals.stream().noneMatch(pending.from()::contains)) {
            return new Refused(
                    person,
                    fp,
                    person + " (" + String.join(", ", principals) + ") has none of the roles this step needs: "
                            + String.join(", ", pending.from()));
        }
        if (counted.contains(person)) {
            return new Refused(person, fp, person + " already approved this request: each approver counts once");
        }
        return new Counted(p.decision(), person, principals, fp);
    }
}
