package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.report.Hold;
import dev.runbook.report.Incident;
import dev.runbook.report.SlaCheck;
import dev.runbook.report.Text;
import dev.runbook.report.TimelineEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook log show INCIDENT}: a readable timeline, one line per event
 * ({@code HH:MM:SS  +HH:MM:SS  what happened}) under a short header; the chain is
 * verified and a broken one announced first (the timeline is still shown).
 */
@Command(
        name = "show",
        header = "Show an incident as a timeline.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Show an incident as a timeline: one line per event with its UTC time, the time",
            "elapsed since the incident opened, and what happened (steps started and finished,",
            "decisions, notes, rollback, SLA breaches, close)."
        },
        footer = {
            "",
            "Examples:",
            "  runbook log show 20261121T102345Z-RB-P1-003",
            "  runbook log show 20261121T10        # a unique prefix is enough",
            "  runbook log show ./incidents/20261121T102345Z-RB-P1-003.jsonl",
            "",
            "Exit codes: 0 shown, 1 the log failed verification (still shown) or cannot be read, 2 usage error."
        })
public final class LogShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INCIDENT", description = "Incident id, unique id prefix, or path to a .jsonl log.")
    String ref;

    @Mixin
    LogDirOption dir;

    @picocli.CommandLine.Option(
            names = {"--follow", "-f"},
            description = "Then print each new event as the run writes it, until incident.closed (as 'log follow').")
    boolean follow;

    @Mixin
    FormatOption format;

    private final Terminal terminal;

    /** @param terminal where the timeline is printed */
    public LogShowCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (follow) {
            try {
                return LogFollowCommand.follow(terminal, dir, ref, LogFollowCommand.GONE_AFTER_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitCodes.INTERRUPTED;
            }
        }
        Path file = LogSupport.find(ref, dir.resolve(terminal));
        Incident in = LogSupport.load(file);
        var out = terminal.out();
        if (format.format() == FormatOption.Format.JSON) {
            // one document: the export's JSON (docs/export-json.md), its integrity included
            out.println(dev.runbook.report.JsonReport.render(in));
            out.flush();
            return in.integrity().ok() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        if (format.format() == FormatOption.Format.JSONL) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (TimelineEntry e : in.timeline()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("seq", e.seq());
                row.put("ts", e.ts().toString());
                row.put("elapsed_ms", e.elapsedMs());
                row.put("type", e.type());
                row.put("step", e.step());
                row.put("text", e.text());
                rows.add(row);
            }
            format.print(out, rows);
            out.flush();
            return in.integrity().ok() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        if (!in.integrity().ok()) {
            out.println("⚠ THIS LOG FAILED VERIFICATION: " + file + ":"
                    + in.integrity().badLine() + ": " + in.integrity().reason());
        }
        out.println(in.id() + "  " + in.runbookId() + " (" + in.severityPath() + ") " + in.runbookTitle());
        out.println("env " + in.env() + ", mode " + in.mode() + ", operator " + String.join(", ", in.operators())
                + ", outcome " + in.outcomeLabel() + ", duration " + Text.duration(in.durationMs()));
        if (in.holds().size() > 1) {
            out.println("held by: "
                    + String.join("; ", in.holds().stream().map(Hold::describe).toList()));
        }
        if (in.hasSla()) {
            for (SlaCheck c : in.sla()) {
                out.println("SLA " + c.name() + " " + Text.duration(c.target().toMillis()) + ": " + Text.sla(c));
            }
        } else {
            out.println("no SLA");
        }
        out.println();
        for (TimelineEntry e : in.timeline()) {
            out.println(Text.time(e.ts()) + "  " + Text.elapsed(e.elapsedMs()) + "  " + e.text());
        }
        if (!in.closed()) {
            out.println("… the log ends here without incident.closed (unfinished)");
        }
        out.flush();
        return in.integrity().ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
