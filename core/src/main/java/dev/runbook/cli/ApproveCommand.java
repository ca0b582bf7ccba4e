package dev.runbook.cli;

import dev.runbook.approval.ApprovalPayload;
import dev.runbook.console.PromptKind;
import dev.runbook.console.Prompter;
import dev.runbook.console.Terminal;
import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.model.Sha256;
import dev.runbook.signing.SigningKey;
import dev.runbook.signing.SshSig;
import dev.runbook.store.Store;
import dev.runbook.store.StoreApprovals;
import dev.runbook.store.StoreMirror;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook approve INCIDENT STEP}: an approver, on any machine, signs the exact command a
 * waiting run is about to execute and sends the approval (or denial) through the team store; the
 * run checks it against the library's allowed_signers and records it (docs/team.md, "Approvals").
 */
@Command(
        name = "approve",
        header = "Approve (or deny) a step that waits for approval, from any machine.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Shows the command a running incident waits to run at STEP, exactly as resolved, then signs",
            "your decision with your SSH key (SSHSIG, namespace runbook-approval) over the incident, the",
            "step, the request, the attempt and the command's SHA-256, and sends it through the team",
            "store. The waiting run checks the signature against the library's allowed_signers (your",
            "first principal is you, the others your roles) and records approval.granted, approval.denied",
            "or approval.refused (self-approval, unknown key, wrong role, another command, a replay).",
            "The key: --signing-key, else $RUNBOOK_SIGNING_KEY, else the first key of ssh-agent."
        },
        footer = {
            "",
            "Examples:",
            "  runbook approve 20261121T1023 restart-db --inventory runbooks/environments.yaml",
            "  runbook approve 20261121T1023 restart-db --deny --yes --signing-key ~/.ssh/id_ed25519",
            "",
            "Exit codes: 0 sent (and recorded by the run when it answered in time), 1 the run refused it or",
            "the store failed, 2 usage error (no store, nothing waits at STEP, no key, not confirmed)."
        })
public final class ApproveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "INCIDENT", description = "Incident id or unique id prefix.")
    String ref;

    @Parameters(index = "1", paramLabel = "STEP", description = "The step that waits for approval.")
    String step;

    @Option(names = "--deny", description = "Deny it: the step fails and its on_failure applies.")
    boolean deny;

    @Option(
            names = {"--yes", "-y"},
            description = "Do not ask for confirmation (the command is still shown).")
    boolean yes;

    @Option(
            names = "--operator",
            paramLabel = "NAME",
            description =
                    "Who you are (default: $RUNBOOK_OPERATOR, else operator: of the config, else the sudo caller, else the OS user).")
    String operator;

    @Option(
            names = "--signing-key",
            paramLabel = "FILE",
            description = "Your SSH private key (default: $RUNBOOK_SIGNING_KEY, else the first key of ssh-agent).")
    Path signingKey;

    @Mixin
    LogDirOption source;

    private final Terminal terminal;

    /** @param terminal prompts and output */
    public ApproveCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** How long to wait for the run to record the verdict, in ms. */
    static final long VERDICT_MS = 15_000;

    @Override
    public Integer call() throws InterruptedException {
        source.useStore = true;
        Store store = source.declared(terminal);
        Path file = LogSupport.find(ref, source.resolve(terminal));
        String incident = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        JournalReader.Event request = pending(file);
        String command = request.str("command");
        if (!Sha256.hex(command).equals(request.str("command_sha256"))) {
            throw new ExitException(
                    ExitCodes.FAILED,
                    "the request's command does not match its hash in the store: not signing (the store was altered?)");
        }
        var out = terminal.out();
        out.println("Incident " + incident + ": step " + step + " waits for approval (request " + request.num("seq")
                + ", attempt " + request.num("attempt") + ")");
        out.println("  command: " + command);
        out.println("  sha256:  " + request.str("command_sha256"));
        out.flush();
        if (!yes) {
            if (!terminal.interactive()) {
                throw new ExitException(ExitCodes.USAGE, "standard input is not a terminal: give --yes to sign");
            }
            String word = deny ? "deny" : "approve";
            String line = Prompter.of(terminal)
                    .line("Type '" + word + "' to sign your decision: ", PromptKind.CONFIRM, List.of());
            if (line == null || !line.trim().equals(word)) {
                throw new ExitException(ExitCodes.USAGE, "not confirmed: nothing was sent");
            }
        }
        Optional<SigningKey> key;
        try {
            key = SigningKey.find(signingKey, terminal.env());
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage(), e);
        }
        if (key.isEmpty()) {
            throw new ExitException(
                    ExitCodes.USAGE,
                    "no signing key: give --signing-key FILE, RUNBOOK_SIGNING_KEY, or load one in ssh-agent");
        }
        ApprovalPayload payload = new ApprovalPayload(
                incident,
                step,
                request.num("seq"),
                (int) request.num("attempt"),
                request.str("command_sha256"),
                deny ? ApprovalPayload.Decision.DENIED : ApprovalPayload.Decision.GRANTED);
        String signature;
        try {
            signature = SshSig.sign(payload.bytes(), key.get(), ApprovalPayload.NAMESPACE);
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            throw new ExitException(
                    ExitCodes.FAILED, "signing with " + key.get().source() + " failed: " + e.getMessage(), e);
        }
        String fingerprint =
                new SshSig.Checked(key.get().publicKeyBlob(), ApprovalPayload.NAMESPACE, true).fingerprint();
        try (Connection c = store.connect()) {
            long before = Store.head(c, incident).map(Store.Head::headSeq).orElse(0L);
            StoreApprovals.submit(c, payload, signature, operator, RunCommand.localHost(terminal.env()));
            out.println((deny ? "denial" : "approval") + " signed with "
                    + key.get().source() + " (" + fingerprint + ") and sent; waiting for the run to check it…");
            out.flush();
            return verdict(c, file.getParent(), incident, request.num("seq"), fingerprint, before);
        } catch (SQLException | IOException e) {
            throw new ExitException(ExitCodes.FAILED, "the team store " + store.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The step's last {@code approval.requested}, still waiting (no decision of the step since). */
    private JournalReader.Event pending(Path file) {
        List<JournalReader.Event> events;
        try {
            events = JournalReader.read(file);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, file + ": cannot read: " + e.getMessage(), e);
        }
        JournalReader.Event request = null;
        boolean settled = false;
        for (JournalReader.Event e : events) {
            if (!step.equals(e.str("step"))) {
                if (EventType.INCIDENT_CLOSED.is(e.type())) {
                    settled = true;
                }
                continue;
            }
            if (EventType.APPROVAL_REQUESTED.is(e.type())) {
                request = e;
                settled = false;
            } else if (EventType.STEP_STARTED.is(e.type()) || EventType.APPROVAL_DENIED.is(e.type())) {
                settled = request != null;
            }
        }
        if (request == null || settled) {
            throw new ExitException(
                    ExitCodes.USAGE,
                    "step '" + step + "' of " + file.getFileName().toString().replaceFirst("\\.jsonl$", "")
                            + " is not waiting for approval"
                            + (request == null ? "" : " any more (it was decided, or the incident closed)"));
        }
        return request;
    }

    /** Waits for the run to record what it made of the approval: the first verdict on this key after {@code after}. */
    private int verdict(Connection c, Path mirror, String incident, long request, String fingerprint, long after)
            throws SQLException, IOException, InterruptedException {
        long end = System.nanoTime() + VERDICT_MS * 1_000_000;
        var out = terminal.out();
        while (System.nanoTime() < end) {
            Store.Head h = Store.head(c, incident).orElse(null);
            if (h != null) {
                for (JournalReader.Event e : JournalReader.read(StoreMirror.sync(c, mirror, h))) {
                    if (e.num("seq") <= after || e.num("request") != request || !fingerprint.equals(e.str("key"))) {
                        continue;
                    }
                    if (EventType.APPROVAL_REFUSED.is(e.type())) {
                        out.println("✗ the run refused it: " + e.str("reason"));
                        out.flush();
                        return ExitCodes.FAILED;
                    }
                    if (EventType.APPROVAL_GRANTED.is(e.type()) || EventType.APPROVAL_DENIED.is(e.type())) {
                        out.println("✓ recorded by the run: " + e.type() + " by " + e.str("approver"));
                        out.flush();
                        return ExitCodes.OK;
                    }
                }
            }
            Thread.sleep(250);
        }
        out.println("sent, but the run has not recorded it within " + VERDICT_MS / 1000 + "s (is it still waiting,"
                + " and can it reach the store?)");
        out.flush();
        return ExitCodes.OK;
    }
}
