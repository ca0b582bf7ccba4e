package dev.runbook.board;

import dev.runbook.report.HtmlReport;
import dev.runbook.report.Incident;
import dev.runbook.report.Markup;
import dev.runbook.report.SlaCheck;
import dev.runbook.report.Text;
import dev.runbook.report.TimelineEntry;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The board's pages (docs/team.md, "The incident board"): the list of open incidents (runbook,
 * severity, operator, elapsed time against the SLA, escalations, the step being run) and of closed
 * ones, and each incident's page, which is its HTML export (timeline, Gantt chart, post-mortem).
 * Every value from a log is escaped ({@link Markup#esc}); the pages hold no inline script (the
 * Content-Security-Policy allows only {@code /board.js}) and no form: the board is read-only.
 */
final class BoardPage {

    private BoardPage() {}

    private static final String CSS = "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}"
            + "table{border-collapse:collapse;margin-bottom:24px}th,td{border-bottom:1px solid #ddd;padding:4px 10px;"
            + "text-align:left}th{background:#f4f4f4}.breached{color:#b00;font-weight:bold}.running{color:#060}"
            + ".muted{color:#777}";

    /** The index: open incidents first, then closed ones, newest first. */
    static String index(List<Incident> incidents, Set<String> running, Instant now, String store) {
        StringBuilder b = head("runbook board");
        b.append("<h1>Incidents</h1>\n<p class=\"muted\">team store ")
                .append(Markup.esc(store))
                .append(" · read-only · updated live</p>\n");
        List<Incident> sorted = incidents.stream()
                .sorted(Comparator.comparing(Incident::start).reversed())
                .toList();
        List<Incident> open = sorted.stream().filter(i -> !i.closed()).toList();
        b.append("<h2>Open (").append(open.size()).append(")</h2>\n");
        if (open.isEmpty()) {
            b.append("<p id=\"no-open\">No open incident.</p>\n");
        } else {
            b.append("<table id=\"open\"><tr><th>Incident</th><th>Runbook</th><th>Severity</th><th>Operator</th>"
                    + "<th>Elapsed / SLA</th><th>Escalations</th><th>Step</th><th>State</th></tr>\n");
            for (Incident i : open) {
                long elapsed = now.toEpochMilli() - i.start().toEpochMilli();
                b.append("<tr class=\"incident\" data-id=\"")
                        .append(Markup.esc(i.id()))
                        .append("\"><td><a href=\"/incident/")
                        .append(Markup.esc(i.id()))
                        .append("\">")
                        .append(Markup.esc(i.id()))
                        .append("</a></td><td>")
                        .append(Markup.esc(i.runbookId() + " " + i.runbookTitle()))
                        .append("</td><td>")
                        .append(Markup.esc(i.severityPath()))
                        .append("</td><td>")
                        .append(Markup.esc(
                                i.operators().isEmpty()
                                        ? ""
                                        : i.operators().get(i.operators().size() - 1)))
                        .append("</td><td")
                        .append(i.slaBreached() ? " class=\"breached\"" : "")
                        .append(">")
                        .append(Markup.esc(Text.duration(elapsed) + sla(i)))
                        .append("</td><td>")
                        .append(Markup.esc(escalations(i)))
                        .append("</td><td class=\"step\">")
                        .append(Markup.esc(step(i)))
                        .append("</td><td")
                        .append(
                                running.contains(i.id())
                                        ? " class=\"running\">running"
                                        : ">unfinished (no run holds it)")
                        .append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        List<Incident> closed = sorted.stream().filter(Incident::closed).toList();
        b.append("<h2>Closed (").append(closed.size()).append(")</h2>\n");
        b.append("<table id=\"closed\"><tr><th>Incident</th><th>Runbook</th><th>Severity</th><th>Outcome</th>"
                + "<th>Duration</th><th>Post-mortem</th></tr>\n");
        for (Incident i : closed) {
            b.append("<tr><td>")
                    .append(Markup.esc(i.id()))
                    .append("</td><td>")
                    .append(Markup.esc(i.runbookId() + " " + i.runbookTitle()))
                    .append("</td><td>")
                    .append(Markup.esc(i.severityPath()))
                    .append("</td><td>")
                    .append(Markup.esc(i.outcomeLabel()))
                    .append("</td><td>")
                    .append(Markup.esc(Text.duration(i.durationMs())))
                    .append("</td><td><a href=\"/incident/")
                    .append(Markup.esc(i.id()))
                    .append("\">post-mortem</a></td></tr>\n");
        }
        b.append("</table>\n");
        return foot(b);
    }

    /** An incident's page: its HTML export, with the board's script to follow it live. */
    static String incident(Incident in) {
        String html = HtmlReport.render(in);
        int end = html.lastIndexOf("</body>");
        String nav = "<p><a href=\"/\">← all incidents</a></p>\n";
        int body = html.indexOf("<body>") + "<body>".length();
        return html.substring(0, body) + "\n" + nav + html.substring(body, end) + SCRIPT + html.substring(end);
    }

    private static String sla(Incident i) {
        for (SlaCheck c : i.sla()) {
            if (c.name().equals("resolve")) {
                return " / " + Text.duration(c.target().toMillis()) + " (" + Text.sla(c) + ")";
            }
        }
        return "";
    }

    private static String escalations(Incident i) {
        List<String> levels = i.timeline().stream()
                .filter(t -> "escalation.triggered".equals(t.type()))
                .map(TimelineEntry::text)
                .toList();
        return levels.isEmpty() ? "—" : String.join("; ", levels);
    }

    private static String step(Incident i) {
        String waiting = i.awaitingApproval();
        if (waiting != null && !i.closed()) {
            return waiting + " (awaiting approval)";
        }
        return i.currentStep() == null ? lastStep(i) : i.currentStep() + " (running)";
    }

    private static String lastStep(Incident i) {
        return i.attempts().isEmpty()
                ? "—"
                : i.attempts().get(i.attempts().size() - 1).step() + " ("
                        + i.attempts().get(i.attempts().size() - 1).status() + ")";
    }

    private static final String SCRIPT = "<script src=\"/board.js\"></script>\n";

    private static StringBuilder head(String title) {
        return new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Markup.esc(title))
                .append("</title>\n<style>")
                .append(CSS)
                .append("</style>\n</head>\n<body>\n");
    }

    private static String foot(StringBuilder b) {
        return b.append(SCRIPT).append("</body>\n</html>\n").toString();
    }

    /**
     * The board's only script: on each incident id pushed on {@code /events} (Server-Sent Events)
     * that concerns this page, fetch the page again and swap its body, without a reload.
     */
    static final String JS = """
            (function () {
              var es = new EventSource('/events');
              es.onmessage = function (e) {
                var path = location.pathname;
                if (path !== '/' && path !== '/incident/' + e.data) { return; }
                fetch(path, {credentials: 'same-origin'}).then(function (r) { return r.text(); }).then(function (t) {
                  var doc = new DOMParser().parseFromString(t, 'text/html');
                  document.body.innerHTML = doc.body.innerHTML;
                  document.body.setAttribute('data-updated', String(Date.now()));
                });
              };
            })();
            """;
}
