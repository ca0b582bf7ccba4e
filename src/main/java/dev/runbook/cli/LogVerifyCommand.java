package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.journal.JournalVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
            "the chain at the first line after it. A log without incident.closed is intact but unfinished."
        },
        footer = {
            "",
            "Examples:",
            "  runbook log verify 20261121T102345Z-RB-P1-003",
            "  runbook log verify /archive/20261121T102345Z-RB-P1-003.jsonl",
            "",
            "Exit codes: 0 chain intact, 1 chain broken or unreadable, 2 usage error."
        })
public final class LogVerifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INCIDENT|FILE", description = "Incident id, unique id prefix, or path to a .jsonl log.")
    String ref;

    @Mixin
    LogDirOption dir;

    private final Terminal terminal;

    /** @param terminal where the verdict is printed */
    public LogVerifyCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Path file = LogSupport.find(ref, dir.resolve(terminal.env()));
        JournalVerifier.Result r;
        try {
            r = JournalVerifier.verify(file);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, file + ": cannot read: " + e.getMessage(), e);
        }
        var out = terminal.out();
        if (r.ok()) {
            out.println("✓ " + file + ": " + r.events() + " events, chain intact"
                    + (r.torn()
                            ? "; the last line was torn by a crash while it was written: the run ended abruptly"
                            : r.closed() ? "" : " (unfinished: no incident.closed)"));
        } else {
            out.println("✗ " + file + ":" + r.badLine() + ": " + r.reason());
        }
        out.flush();
        return r.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
