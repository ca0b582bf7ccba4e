package dev.runbook.report;

import dev.runbook.model.StepStatus;

/**
 * The post-mortem as one self-contained HTML file: inline CSS, an inline SVG timeline
 * ({@link SvgTimeline}), no script, font or link to fetch; print styles keep it readable
 * on paper. Same sections as {@link MarkdownReport}; blanks are marked {@code TO FILL}.
 */
public final class HtmlReport {

    private static final String CSS = String.join(
            "\n",
            "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1a1a1a;"
                    + "max-width:1040px;margin:24px auto;padding:0 16px}",
            "h1{font-size:24px;margin:0 0 12px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;"
                    + "margin-top:28px}h3{font-size:15px}",
            "table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #d0d0d0;padding:4px 8px;"
                    + "text-align:left;vertical-align:top}th{background:#f3f3f3}",
            "td.t{white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace}",
            ".warn{border:3px solid #b00020;background:#fdecea;color:#7a0014;padding:10px 14px;font-weight:bold;margin:12px 0}",
            ".unfinished{border:2px solid #ef6c00;background:#fff3e0;padding:10px 14px;margin:12px 0}",
            ".blank{background:#fff59d;font-weight:bold;padding:0 4px}",
            ".s-succeeded,.met{color:#2e7d32}.s-failed,.breached{color:#c62828;font-weight:bold}"
                    + ".s-timed_out{color:#ef6c00}.s-skipped{color:#757575}.s-unfinished{color:#1565c0}",
            ".legend span{display:inline-block;margin-right:14px}.legend i{display:inline-block;width:12px;height:12px;"
                    + "margin-right:4px;vertical-align:middle}",
            ".chart{overflow-x:auto}svg.gantt{max-width:100%;height:auto}ul.check{list-style:none;padding-left:8px}",
            "@media print{body{margin:0;max-width:none;font-size:11pt}.chart{overflow:visible}"
                    + "h2{break-after:avoid}tr,svg{break-inside:avoid}.warn{-webkit-print-color-adjust:exact;"
                    + "print-color-adjust:exact}}");

    private HtmlReport() {}

    /**
     * Renders an incident.
     *
     * @return a complete HTML5 document
     */
    public static String render(Incident in) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Post-mortem ")
                .append(Markup.esc(in.id()))
                .append("</title>\n<style>\n")
                .append(CSS)
                .append("\n</style>\n</head>\n<body>\n");
        b.append("<h1 id=\"title\">Post-mortem: ").append(Markup.esc(in.id())).append("</h1>\n");
        if (!in.integrity().ok()) {
            b.append("<div class=\"warn\" id=\"integrity-warning\">⚠ ")
                    .append(Markup.esc(MarkdownReport.warnings(in).get(0).replace("**", "")))
                    .append("</div>\n");
        }
        if (!in.closed()) {
            b.append("<div class=\"unfinished\" id=\"unfinished\">⚠ ")
                    .append(Markup.esc(MarkdownReport.warnings(in)
                            .get(in.integrity().ok() ? 0 : 1)
                            .replace("**", "")))
                    .append("</div>\n");
        }
        header(b, in);
        sla(b, in);
        b.append("<h2>Step timeline</h2>\n<div class=\"legend\">");
        java.util.List<String> legend = new java.util.ArrayList<>();
        for (StepStatus st : StepStatus.values()) {
            legend.add(st.wire());
        }
        legend.add(Progress.UNFINISHED.label());
        for (String s : legend) {
            b.append("<span><i style=\"background:")
                    .append(SvgTimeline.colour(s))
                    .append("\"></i>")
                    .append(s)
                    .append("</span>");
        }
        b.append("<span>◆ decision</span><span>● note</span><span>┆ SLA deadline</span></div>\n<div class=\"chart\">\n")
                .append(SvgTimeline.render(in))
                .append("</div>\n");
        timeline(b, in);
        steps(b, in);
        b.append("<h2>Verification</h2>\n<p id=\"verification\">")
                .append(Markup.esc(ReportFacts.verification(in)))
                .append("</p>\n");
        report(b, in);
        b.append("<h2>Post-incident checklist</h2>\n");
        checklist(
                b,
                "Immediate (&lt; 30 min after resolution)",
                "Resolution notice sent (Slack + e-mail users)",
                "Logs archived for analysis (" + in.file()
                        + (in.integrity().ok() ? ", chain intact" : ", FAILED verification") + ")",
                "Incident created in the tracking system",
                "Root cause analysis (RCA) started");
        checklist(
                b,
                "Short term (&lt; 24 h)",
                "RCA completed and documented",
                "Fix coded and tested",
                "Fix merged to main",
                "Fix deployed to production",
                "Monitoring alert in place (against recurrence)");
        checklist(
                b,
                "Medium term (&lt; 1 week)",
                "Internal post-mortem "
                        + ("P1".equals(in.severity())
                                ? "(required: P1)"
                                : "(if P1; this incident is " + in.severity() + ")"),
                "Runbook " + in.runbookId() + " updated if applicable" + ReportFacts.runbookHint(in),
                "Tests added to prevent recurrence",
                "Customer documentation published (lessons learned)",
                "Team training if needed");
        b.append("<p><small>Generated by runbook from the incident log ")
                .append(Markup.esc(in.file()))
                .append(". Facts come from the log; every <span class=\"blank\">TO FILL</span> needs a person.")
                .append(" No post-mortem, no resolved incident.</small></p>\n</body>\n</html>\n");
        return b.toString();
    }

    private static void header(StringBuilder b, Incident in) {
        b.append("<table id=\"header\">\n");
        tr(b, "Incident", Markup.esc(in.id()));
        tr(b, "Runbook", Markup.esc(in.runbookId() + " — " + in.runbookTitle()));
        tr(b, "Severity", Markup.esc(in.severityPath()));
        tr(b, "Environment", Markup.esc(in.env()));
        tr(b, "Operator(s)", Markup.esc(String.join(", ", in.operators())));
        if (in.holds().size() > 1) {
            tr(
                    b,
                    "Held by",
                    Markup.esc(String.join(
                            "; ", in.holds().stream().map(Hold::describe).toList())));
        }
        tr(b, "Start", Text.dateTime(in.start()));
        tr(b, "End", in.closed() ? Text.dateTime(in.end()) : "— (last event " + Text.dateTime(in.end()) + ")");
        tr(b, "Duration", Text.duration(in.durationMs()) + (in.closed() ? "" : " so far"));
        tr(b, "Outcome", "<strong id=\"outcome\">" + Markup.esc(in.outcomeLabel()) + "</strong>");
        tr(b, "Mode", Markup.esc(in.mode()));
        if (!in.inputs().isEmpty()) {
            tr(b, "Inputs", Markup.esc(MarkdownReport.inputs(in.inputs())));
        }
        tr(b, "Host", Markup.esc(in.host()));
        tr(b, "Runbook file", Markup.esc(in.runbookPath()));
        tr(b, "Log", Markup.esc(in.file() + ": " + in.integrity().describe()));
        b.append("</table>\n");
    }

    private static void sla(StringBuilder b, Incident in) {
        b.append("<h2>SLA</h2>\n");
        if (!in.hasSla()) {
            b.append("<p id=\"sla\">No SLA: the runbook sets no respond or resolve target.</p>\n");
            return;
        }
        b.append("<table id=\"sla\">\n<tr><th>Target</th><th>Goal</th><th>Measured</th><th>Result</th></tr>\n");
        for (SlaCheck c : in.sla()) {
            b.append("<tr><td>")
                    .append(
                            c.name().equals("respond")
                                    ? "Respond (first operator action)"
                                    : "Resolve (service restored)")
                    .append("</td><td>")
                    .append(Text.duration(c.target().toMillis()))
                    .append("</td><td>")
                    .append(Text.duration(c.actualMs()))
                    .append("</td><td class=\"")
                    .append(c.state())
                    .append("\">")
                    .append(Markup.esc(Text.sla(c)))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void timeline(StringBuilder b, Incident in) {
        b.append("<h2>Timeline</h2>\n<table id=\"timeline\">\n<tr><th>Time (UTC)</th><th>Elapsed</th>")
                .append("<th>What happened</th></tr>\n");
        for (TimelineEntry e : in.timeline()) {
            b.append("<tr class=\"ev-")
                    .append(Markup.token(e.type().replace('.', '-')))
                    .append("\"><td class=\"t\">")
                    .append(Text.time(e.ts()))
                    .append("</td><td class=\"t\">")
                    .append(Text.elapsed(e.elapsedMs()))
                    .append("</td><td>")
                    .append(Markup.esc(e.text()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void steps(StringBuilder b, Incident in) {
        b.append("<h2>Steps</h2>\n<table id=\"steps\">\n<tr><th>Step</th><th>Status</th><th>Attempts</th>")
                .append("<th>Duration</th></tr>\n");
        for (StepSummary s : in.steps()) {
            b.append("<tr><td>")
                    .append(Markup.esc(s.step()))
                    .append(Text.phaseSuffix(s.phase()))
                    .append("</td><td class=\"s-")
                    .append(Markup.token(s.status()))
                    .append("\">")
                    .append(Markup.esc(s.status()))
                    .append("</td><td>")
                    .append(s.attempts())
                    .append("</td><td>")
                    .append(Text.duration(s.durationMs()))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void report(StringBuilder b, Incident in) {
        String blank = "<span class=\"blank\">TO FILL</span>";
        b.append("<h2>Incident Report: ").append(Markup.esc(in.id())).append("</h2>\n<ul id=\"report\">\n");
        b.append("<li><strong>When</strong>: ")
                .append(Text.date(in.start()))
                .append(' ')
                .append(Text.hoursMinutes(in.start()))
                .append('-')
                .append(Text.hoursMinutes(in.end()))
                .append(" UTC (")
                .append(Text.duration(in.durationMs()))
                .append(in.closed() ? " total" : " so far, unfinished")
                .append(")</li>\n");
        b.append("<li><strong>Severity</strong>: ")
                .append(Markup.esc(in.severity() + " - " + in.runbookTitle()))
                .append("</li>\n");
        String impact = ReportFacts.typed(in, "impact");
        String cause = ReportFacts.typed(in, "cause|root");
        b.append("<li><strong>Impact</strong>: ")
                .append(
                        impact == null
                                ? blank + " users affected, revenue impact"
                                : Markup.esc(impact) + " (typed during the run)")
                .append("</li>\n");
        b.append("<li><strong>Root Cause</strong>: ")
                .append(cause == null ? blank : Markup.esc(cause) + " (typed during the run)")
                .append("</li>\n");
        b.append("<li><strong>Fix</strong>: ")
                .append(Markup.esc(ReportFacts.mitigation(in)))
                .append("; permanent fix: ")
                .append(blank)
                .append("</li>\n");
        b.append("<li><strong>Prevention</strong>: ")
                .append(blank)
                .append(" monitoring / tests that would have caught it</li>\n");
        b.append("<li><strong>Cost</strong>: dev time ")
                .append(blank)
                .append(", infrastructure ")
                .append(blank)
                .append(", lost productivity ")
                .append(blank)
                .append("</li>\n");
        b.append("<li><strong>Next steps</strong>: ").append(blank).append("</li>\n</ul>\n");
    }

    private static void checklist(StringBuilder b, String title, String... items) {
        b.append("<h3>").append(title).append("</h3>\n<ul class=\"check\">\n");
        for (String i : items) {
            b.append("<li>☐ ").append(Markup.esc(i)).append("</li>\n");
        }
        b.append("</ul>\n");
    }

    private static void tr(StringBuilder b, String k, String v) {
        b.append("<tr><th>").append(k).append("</th><td>").append(v).append("</td></tr>\n");
    }
}
