package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.signing.AllowedSigners;
import dev.runbook.signing.SshSig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook log verify INCIDENT|FILE}: checks the hash chain with {@link JournalVerifier};
 * prints {@code ✓ <file>: N events, chain intact} (exit 0) or {@code ✗ <file>:<line>: <reason>} (exit 1).
 */
@Command(
        name = "verify",
        header = "Verify an incident log's hash chain.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Verify an incident log's integrity: every line is a JSON event of a known type,",
            "seq counts 1, 2, 3…, one incident id throughout, and each line's 'prev' is the SHA-256",
            "of the line before (64 zeros on the first). An edited, reordered or removed line breaks",
            "the chain at the first line after it. A log without incident.closed is intact but unfinished.",
            "",
            "The chain is corruption-evident, not tamper-evident: anyone who edits a log can recompute it.",
            "What proves the log is the signature <log>.sig (OpenSSH SSHSIG, namespace runbook-incident)",
            "made at the close with the operator's SSH key: it matches only the exact bytes signed, so an",
            "edit, a recomputed chain or a cut tail is detected; the signer is named from allowed_signers.",
            "A log without .sig is reported unsigned: a deleted signature is not detected here.",
            "",
            "With the team store (--store, or by default when the inventory declares one), the store's",
            "copy is verified, then this machine's log of the incident is compared with it byte for",
            "byte: a local log edited or cut after its events reached the store is reported."
        },
        footer = {
            "",
            "Examples:",
            "  runbook log verify 20261121T102345Z-RB-P1-003",
            "  runbook log verify /archive/20261121T102345Z-RB-P1-003.jsonl",
            "",
            "Exit codes: 0 chain intact (and signature valid when present), 1 chain broken, signature",
            "not matching or signer unknown, or unreadable, 2 usage error."
        })
public final class LogVerifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INCIDENT|FILE", description = "Incident id, unique id prefix, or path to a .jsonl log.")
    String ref;

    @Mixin
    LogDirOption dir;

    @Option(
            names = "--allowed-signers",
            paramLabel = "FILE",
            description = "OpenSSH allowed_signers naming who may sign logs (default: allowed_signers in the"
                    + " library, --dir).")
    Path allowedSigners;

    @Mixin
    LibraryDirOption library;

    private final Terminal terminal;

    /** @param terminal where the verdict is printed */
    public LogVerifyCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Path file = LogSupport.find(ref, dir.resolve(terminal));
        int code = verify(file);
        if (dir.store(terminal) != null) {
            code = Math.max(code, againstStore(file));
        }
        return code;
    }

    /**
     * Compares this machine's log of the incident with the store's copy (docs/team.md): the store
     * keeps every event's exact bytes, so a local log edited or cut after its events were sent is
     * told apart from one that is only ahead of the store (events not sent yet).
     */
    private int againstStore(Path stored) {
        Path local = dir.local().resolve(stored.getFileName());
        var out = terminal.out();
        if (!Files.isRegularFile(local)) {
            out.println("  (no local log " + local + " to compare with the store's copy)");
            out.flush();
            return ExitCodes.OK;
        }
        List<JournalReader.Event> mine;
        List<JournalReader.Event> theirs;
        try {
            mine = JournalReader.read(local);
            theirs = JournalReader.read(stored);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, local + ": cannot read: " + e.getMessage(), e);
        }
        int n = Math.min(mine.size(), theirs.size());
        for (int i = 0; i < n; i++) {
            if (!mine.get(i).raw().equals(theirs.get(i).raw())) {
                out.println("✗ " + local + ":" + (i + 1) + ": differs from the store's event " + (i + 1)
                        + ": the local log was changed after the event reached the store");
                out.flush();
                return ExitCodes.FAILED;
            }
        }
        if (mine.size() < theirs.size()) {
            out.println("✗ " + local + ": " + mine.size() + " events, the store holds " + theirs.size()
                    + ": the local log was cut (events " + (mine.size() + 1) + ".." + theirs.size() + " are gone)");
            out.flush();
            return ExitCodes.FAILED;
        }
        out.println("✓ " + local + " matches the store's copy"
                + (mine.size() > theirs.size()
                        ? " and holds " + (mine.size() - theirs.size())
                                + " event(s) more, not sent yet: 'runbook log push' sends them"
                        : " (" + theirs.size() + " events)"));
        out.flush();
        return ExitCodes.OK;
    }

    private int verify(Path file) {
        JournalVerifier.Result r;
        try {
            r = JournalVerifier.verify(file);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, file + ": cannot read: " + e.getMessage(), e);
        }
        var out = terminal.out();
        if (r.ok()) {
            String signature;
            try {
                signature = signature(file);
            } catch (IOException | IllegalArgumentException e) {
                out.println("✗ " + file + ": chain intact, but the signature " + file + ".sig: " + e.getMessage());
                out.flush();
                return ExitCodes.FAILED;
            }
            if (signature.startsWith("✗")) {
                out.println("✗ " + file + ": chain intact, but " + signature.substring(2));
                out.flush();
                return ExitCodes.FAILED;
            }
            out.println("✓ " + file + ": " + r.events() + " events, chain intact, " + signature
                    + (r.torn()
                            ? "; the last line was torn by a crash while it was written: the run ended abruptly"
                            : r.closed() ? "" : " (unfinished: no incident.closed)"));
        } else {
            out.println("✗ " + file + ":" + r.badLine() + ": " + r.reason());
        }
        out.flush();
        return r.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** "signed by NAME", "unsigned", or "✗ why" when a signature is there and does not hold. */
    private String signature(Path log) throws IOException {
        Path sig = log.resolveSibling(log.getFileName() + ".sig");
        if (!Files.isRegularFile(sig)) {
            return "unsigned";
        }
        SshSig.Checked c = SshSig.check(Files.readAllBytes(log), Files.readString(sig), SshSig.NAMESPACE);
        if (!c.valid()) {
            return "✗ the signature does not match the log: it was changed or cut after it was signed"
                    + " (or the signature is for another namespace)";
        }
        Path signers = allowedSigners != null ? allowedSigners : library.dir().resolve("allowed_signers");
        if (!Files.isRegularFile(signers)) {
            return "✗ signed by " + c.fingerprint() + ", but there is no allowed_signers file (" + signers
                    + ") to name the signer: give --allowed-signers FILE";
        }
        return AllowedSigners.read(signers)
                .principals(c.publicKeyBlob())
                .map(p -> "signed by " + p.get(0))
                .orElse("✗ signed by " + c.fingerprint() + ", a key that " + signers + " does not list");
    }
}
