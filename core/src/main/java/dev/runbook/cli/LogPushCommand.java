package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.journal.JournalReader;
import dev.runbook.report.IncidentRef;
import dev.runbook.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook log push [INCIDENT]}: sends the events of local logs that the team store lacks
 * (a run that closed while the store was down), in order, idempotently, and the signatures.
 */
@Command(
        name = "push",
        header = "Send local incident logs to the team store (what it lacks).",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Send to the team store the events of the local logs that it does not hold yet, in order,",
            "one transaction per event, and each closed log's signature. An event the store already",
            "holds is not sent twice; one that differs from the store's is reported and stops that log",
            "(log verify --store tells which copy is intact). Without INCIDENT, every local log."
        },
        footer = {
            "",
            "Examples:",
            "  runbook log push 20261121T102345Z-RB-P1-003 --inventory runbooks/environments.yaml",
            "  runbook log push --log-dir /var/log/runbook",
            "",
            "Exit codes: 0 the store holds every event, 1 the store is unreachable or differs, 2 usage error."
        })
public final class LogPushCommand implements Callable<Integer> {

    @Parameters(
            paramLabel = "INCIDENT",
            arity = "0..1",
            description = "Incident id, unique id prefix, or path to a .jsonl log (default: every local log).")
    String ref;

    @Mixin
    LogDirOption dir;

    private final Terminal terminal;

    /** @param terminal where the result is printed */
    public LogPushCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        dir.useStore = true;
        Store store = dir.declared(terminal);
        Path local = dir.local();
        List<Path> logs;
        try {
            logs = ref != null
                    ? List.of(LogSupport.find(ref, local))
                    : IncidentRef.list(local).stream()
                            .map(id -> local.resolve(id + ".jsonl"))
                            .toList();
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, local + ": cannot list: " + e.getMessage(), e);
        }
        var out = terminal.out();
        int failed = 0;
        try (Connection c = store.connect()) {
            for (Path log : logs) {
                try {
                    out.println(push(c, log));
                } catch (Store.ConflictException e) {
                    failed++;
                    out.println("✗ " + log + ": " + e.getMessage());
                }
            }
        } catch (SQLException | IOException e) {
            throw new ExitException(ExitCodes.FAILED, "the team store " + store.describe() + ": " + e.getMessage(), e);
        }
        out.flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static String push(Connection c, Path log) throws SQLException, IOException {
        List<JournalReader.Event> events = JournalReader.read(log);
        int added = 0;
        for (JournalReader.Event e : events) {
            if (Store.append(c, e.raw())) {
                added++;
            }
        }
        String id = log.getFileName().toString().replaceFirst("\\.jsonl$", "");
        Path sig = log.resolveSibling(log.getFileName() + ".sig");
        boolean signed = Files.isRegularFile(sig);
        if (signed) {
            Store.signature(c, id, Files.readString(sig, StandardCharsets.US_ASCII));
        }
        return "✓ " + id + ": " + added + " event(s) sent, " + (events.size() - added) + " already in the store"
                + (signed ? ", signature recorded" : "");
    }
}
