package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.engine.Mode;
import dev.runbook.report.Incident;
import dev.runbook.report.IncidentParser;
import dev.runbook.report.IncidentRef;
import dev.runbook.report.Stats;
import dev.runbook.report.StatsReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runbook log stats [--since DATE] [--format text|json]}: MTTA, MTTR (mean, median,
 * p90), outcomes and SLA breach rate per severity and overall, MTBF per runbook
 * ({@link Stats}). Logs that fail verification are left out, with a warning on stderr.
 */
@Command(
        name = "stats",
        header = "Incident metrics: MTTA, MTTR, SLA breaches, MTBF.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Incident metrics over the logs of the directory, per severity and overall:",
            "count, outcomes, MTTA and MTTR (mean, median, p90), SLA breach rate, and MTBF per runbook.",
            "Logs whose hash chain is broken are left out (a warning names them)."
        },
        footer = {
            "",
            "Definitions (after gestion-incidents.md, \"Métriques\"; measured from the logs):",
            "  MTTA  Mean Time To Acknowledge (target < 5 min): from the incident's start to the first",
            "        operator action, i.e. the first operator.decision, else the first step.started.",
            "  MTTR  Mean Time To Resolve (target P1 < 1 h): from the start to incident.closed, over the",
            "        incidents closed 'resolved' or 'rolled_back' (service restored); 'unresolved' ones",
            "        (the end was reached but the verify section failed) are left out.",
            "  MTBF  Mean Time Between Failures (target > 30 days): per runbook with two incidents or",
            "        more, the mean time from the end of one incident to the start of the next.",
            "  SLA breach rate  incidents that missed a respond or resolve target of their runbook",
            "        (or logged sla.breached), over the incidents whose runbook has an SLA; an incident closed",
            "        'unresolved' missed its resolve target, so it counts as breached.",
            "  Counted: real incidents only (modes interactive and auto). Dry-runs and drills (mode",
            "        dry-run, drill; drills log under DIR/drills/) are left out unless --include-drills.",
            "  median  the middle value (mean of the two middle ones); p90: nearest-rank 90th percentile.",
            "  MTTD (time to detect) happens before the runbook starts: the log cannot measure it.",
            "",
            "Examples:",
            "  runbook log stats",
            "  runbook log stats --since 2026-10-01 --format json",
            "",
            "Exit codes: 0 computed, 1 a log could not be read or failed verification, 2 usage error."
        })
public final class LogStatsCommand implements Callable<Integer> {

    @Option(
            names = "--since",
            paramLabel = "DATE",
            description =
                    "Only incidents started on or after DATE (2026-10-01, UTC) or instant (2026-10-01T08:00:00Z).")
    String since;

    @Option(
            names = "--include-drills",
            description = "Count dry-runs and drills too (also the logs of DIR/drills/); left out by default.")
    boolean includeDrills;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.")
    String format = "text";

    @Mixin
    LogDirOption dir;

    private final Terminal terminal;

    /** @param terminal where the metrics are printed */
    public LogStatsCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            throw new ExitException(ExitCodes.USAGE, "unknown --format '" + format + "' (text or json)");
        }
        Instant from = since == null ? Instant.MIN : parseSince(since);
        Path logDir = dir.resolve(terminal);
        List<Incident> incidents = new ArrayList<>();
        int skipped = 0;
        int exercises = 0;
        List<Path> files = new ArrayList<>();
        for (String id : IncidentRef.list(logDir)) {
            files.add(logDir.resolve(id + ".jsonl"));
        }
        Path drills = logDir.resolve(Drills.DRILLS);
        if (includeDrills && java.nio.file.Files.isDirectory(drills)) {
            for (String id : IncidentRef.list(drills)) {
                files.add(drills.resolve(id + ".jsonl"));
            }
        }
        for (Path f : files) {
            try {
                Incident in = IncidentParser.load(f);
                if (!in.integrity().ok()) {
                    skipped++;
                    terminal.err()
                            .println("runbook: " + f + ":" + in.integrity().badLine() + ": "
                                    + in.integrity().reason() + " (failed verification, left out)");
                } else if (in.start().isBefore(from)) {
                    continue;
                } else if (!includeDrills && Mode.exercise(in.mode())) {
                    exercises++;
                } else {
                    incidents.add(in);
                }
            } catch (IOException | IllegalArgumentException e) {
                skipped++;
                terminal.err().println("runbook: " + f + ": not an incident log, left out (" + e.getMessage() + ")");
            }
        }
        if (exercises > 0) {
            terminal.err()
                    .println("runbook: " + exercises + (exercises == 1 ? " dry-run or drill" : " dry-runs and drills")
                            + " left out (give --include-drills to count them)");
        }
        Stats.Report r = Stats.compute(incidents);
        if (format.equals("json")) {
            terminal.out().print(StatsReport.json(r));
        } else if (incidents.isEmpty()) {
            terminal.out().println("No incident in " + logDir + (since == null ? "" : " since " + since));
        } else {
            terminal.out().print(StatsReport.text(r));
        }
        terminal.out().flush();
        terminal.err().flush();
        return skipped == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static Instant parseSince(String s) {
        try {
            return s.contains("T")
                    ? Instant.parse(s)
                    : LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new ExitException(
                    ExitCodes.USAGE,
                    "--since '" + s + "' is not a date (2026-10-01) nor an instant" + " (2026-10-01T08:00:00Z)");
        }
    }
}
