package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.report.HtmlReport;
import dev.runbook.report.Incident;
import dev.runbook.report.JsonReport;
import dev.runbook.report.MarkdownReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook log export INCIDENT [--format md|json|html] [-o FILE] [--force]}: the
 * post-mortem of an incident. The hash chain is verified first: a broken log is refused
 * (exit 1, first bad line) unless {@code --force}, and then every format says so at the top.
 */
@Command(
        name = "export",
        header = "Export an incident's post-mortem (md, json, html).",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Export an incident's post-mortem from its log.",
            "  md    Markdown for GitHub, GitLab or Confluence: header, SLA, timeline, steps, the",
            "        Incident Report and the post-incident checklist (immediate / 24 h / 1 week);",
            "        what only a person knows (root cause, impact, cost) is left as [TO FILL].",
            "  json  the same facts for tools, schema 1 (docs/export-json.md).",
            "  html  one self-contained page (no external file) with an SVG timeline of the steps,",
            "        for screen and print.",
            "The log's hash chain is verified first; a broken log is refused unless --force.",
            "A log without incident.closed (crash, or still running) exports as 'unfinished'."
        },
        footer = {
            "",
            "Examples:",
            "  runbook log export 20261121T102345Z-RB-P1-003 > postmortem.md",
            "  runbook log export 20261121T1023 --format html -o postmortem.html",
            "  runbook log export 20261121T1023 --format json | jq '.metrics'",
            "",
            "Exit codes: 0 exported, 1 the log failed verification (without --force) or cannot be read,",
            "2 usage error."
        })
public final class LogExportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INCIDENT", description = "Incident id, unique id prefix, or path to a .jsonl log.")
    String ref;

    @Option(names = "--format", paramLabel = "FORMAT", description = "md (default), json or html.")
    String format = "md";

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write to FILE (replaced) instead of stdout.")
    Path output;

    @Option(names = "--force", description = "Export a log that failed verification (the output says so prominently).")
    boolean force;

    @Mixin
    LogDirOption dir;

    private final Terminal terminal;

    /** @param terminal where the document (without -o) and warnings are printed */
    public LogExportCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (!format.equals("md") && !format.equals("json") && !format.equals("html")) {
            throw new ExitException(ExitCodes.USAGE, "unknown --format '" + format + "' (md, json or html)");
        }
        Path file = LogSupport.find(ref, dir.resolve(terminal));
        Incident in = LogSupport.load(file);
        LogSupport.requireIntact(in, file, force);
        if (!in.integrity().ok()) {
            terminal.err()
                    .println("runbook: WARNING: " + file + ":" + in.integrity().badLine() + ": "
                            + in.integrity().reason() + "; exported anyway (--force), the document says so");
            terminal.err().flush();
        }
        String doc = switch (format) {
            case "json" -> JsonReport.render(in);
            case "html" -> HtmlReport.render(in);
            default -> MarkdownReport.render(in);
        };
        if (output == null) {
            terminal.out().print(doc);
            terminal.out().flush();
            return ExitCodes.OK;
        }
        try {
            Files.writeString(output, doc, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, output + ": cannot write: " + e.getMessage(), e);
        }
        terminal.err()
                .println("Wrote " + output + " (" + format + ", incident " + in.id() + ", " + in.outcomeLabel() + ")");
        terminal.err().flush();
        return ExitCodes.OK;
    }
}
