package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.report.Incident;
import dev.runbook.report.IncidentParser;
import dev.runbook.report.IncidentRef;
import dev.runbook.report.Text;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code runbook log list}: the incidents of the log directory, newest first, one line each:
 * id, runbook, severity, env, mode, outcome (or {@code running}, or {@code unfinished}), start, duration. A log
 * whose chain is broken is listed with {@code ✗}; a file that is not a log is reported on stderr.
 */
@Command(
        name = "list",
        header = "List the incidents in the log directory, newest first.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "List the incidents in the log directory, newest first: id, runbook, severity,",
            "environment, mode, outcome ('running' while its run on this machine holds the lock,",
            "'unfinished' when the log has no incident.closed and nothing runs it), start (UTC) and",
            "duration. A ✗ after the outcome marks a log whose hash chain is broken."
        },
        footer = {
            "",
            "Examples:",
            "  runbook log list",
            "  runbook log list --log-dir /var/log/runbook",
            "  runbook log list --format jsonl | jq -r 'select(.outcome == \"unfinished\") | .incident'",
            "",
            "Exit codes: 0 listed (also when there is none), 1 a file could not be read."
        })
public final class LogListCommand implements Callable<Integer> {

    @Mixin
    LogDirOption dir;

    @Mixin
    FormatOption format;

    private final Terminal terminal;

    /** @param terminal where the list is printed */
    public LogListCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        format.require(FormatOption.Format.TEXT, FormatOption.Format.JSON, FormatOption.Format.JSONL);
        Path logDir = dir.resolve(terminal);
        List<Incident> incidents = new ArrayList<>();
        for (String id : IncidentRef.list(logDir)) {
            try {
                incidents.add(IncidentParser.load(logDir.resolve(id + ".jsonl")));
            } catch (IOException | IllegalArgumentException e) {
                terminal.err()
                        .println("runbook: warning: " + logDir.resolve(id + ".jsonl") + " is left out: not an"
                                + " incident log (" + e.getMessage() + ")");
            }
        }
        incidents.sort(Comparator.comparing(Incident::start)
                .thenComparing(Incident::id)
                .reversed());
        Set<String> running = incidents.isEmpty() ? Set.of() : dir.running(terminal, logDir);
        var out = terminal.out();
        if (format.machine()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Incident i : incidents) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("incident", i.id());
                m.put("runbook", i.runbookId());
                m.put("severity", i.severity());
                m.put("env", i.env());
                m.put("mode", i.mode());
                m.put("outcome", outcome(i, running));
                m.put("chain_intact", i.integrity().ok());
                m.put("started_at", i.start().toString());
                m.put("duration_ms", i.durationMs());
                rows.add(m);
            }
            format.print(out, rows);
            terminal.err().flush();
            return ExitCodes.OK;
        }
        if (incidents.isEmpty()) {
            out.println("No incident log in " + logDir);
        } else {
            int w = incidents.stream().mapToInt(i -> i.id().length()).max().orElse(2);
            int r = Math.max(
                    7,
                    incidents.stream()
                            .mapToInt(i -> String.valueOf(i.runbookId()).length())
                            .max()
                            .orElse(7));
            String fmt = "%-" + w + "s  %-" + r + "s  %-3s  %-10s  %-11s  %-13s  %-23s  %s%n";
            out.printf(fmt, "INCIDENT", "RUNBOOK", "SEV", "ENV", "MODE", "OUTCOME", "START", "DURATION");
            for (Incident i : incidents) {
                out.printf(
                        fmt,
                        i.id(),
                        i.runbookId(),
                        i.severity(),
                        i.env(),
                        i.mode(),
                        outcome(i, running) + (i.integrity().ok() ? "" : " ✗"),
                        Text.dateTime(i.start()),
                        Text.duration(i.durationMs()));
            }
        }
        out.flush();
        terminal.err().flush();
        return ExitCodes.OK;
    }

    /** Its outcome, or {@code running} while a run holds its lock. */
    private static String outcome(Incident i, Set<String> running) {
        return !i.closed() && running.contains(i.id()) ? "running" : i.outcomeLabel();
    }
}
