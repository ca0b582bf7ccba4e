package dev.runbook.report;

import dev.runbook.journal.EventType;
import dev.runbook.model.StepStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Gantt-style SVG of an incident: one bar per step attempt (x = time since start,
 * colour = status), decision (diamond) and note (circle) markers on a top lane, the
 * rollback start and the SLA deadlines as vertical lines. Deadlines far beyond the end
 * (more than twice the incident's length) are named at the right edge instead of
 * squeezing the bars.
 */
public final class SvgTimeline {

    static final int WIDTH = 1000;
    private static final int LABEL = 190;
    private static final int RIGHT = 20;
    private static final int TOP = 64;
    private static final int ROW = 24;
    private static final int BAR = 16;

    private SvgTimeline() {}

    /** The colour of a status (also used by the HTML legend). */
    static String colour(String status) {
        return StepStatus.of(status)
                .map(s -> switch (s) {
                    case SUCCEEDED -> "#2e7d32";
                    case FAILED -> "#c62828";
                    case TIMED_OUT -> "#ef6c00";
                    case SKIPPED -> "#9e9e9e";
                })
                .orElse("#1565c0");
    }

    /**
     * Renders the chart.
     *
     * @return an {@code <svg>} element with {@code role="img"}, self-contained
     */
    public static String render(Incident in) {
        long span = Math.max(1000, in.durationMs());
        List<long[]> deadlines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (SlaCheck c : in.sla()) {
            long t = c.target().toMillis();
            if (t <= 2 * span) {
                span = Math.max(span, t);
            }
            deadlines.add(new long[] {t});
            names.add(c.name());
        }
        int rows = Math.max(1, in.attempts().size());
        int height = TOP + rows * ROW + 52;
        double scale = (WIDTH - LABEL - RIGHT) / (double) span;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gantt\" role=\"img\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(' ')
                .append(height)
                .append("\" width=\"")
                .append(WIDTH)
                .append("\" height=\"")
                .append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        b.append("<title>Step timeline of ").append(Markup.esc(in.id())).append("</title>\n");
        axis(b, span, scale, height);
        b.append("<text x=\"4\" y=\"26\" fill=\"#444\">decisions / notes</text>\n");
        for (int i = 0; i < in.attempts().size(); i++) {
            bar(b, in, in.attempts().get(i), i, scale);
        }
        for (TimelineEntry e : in.timeline()) {
            marker(b, e, scale, height);
        }
        List<String> offChart = new ArrayList<>();
        for (int i = 0; i < deadlines.size(); i++) {
            long t = deadlines.get(i)[0];
            String label = "SLA " + names.get(i) + " " + Text.duration(t);
            if (t > span) {
                offChart.add(label);
                continue;
            }
            double x = x(t, scale);
            b.append("<line class=\"sla-line sla-")
                    .append(names.get(i))
                    .append("\" x1=\"")
                    .append(f(x))
                    .append("\" y1=\"")
                    .append(TOP - 20 + 14 * i)
                    .append("\" x2=\"")
                    .append(f(x))
                    .append("\" y2=\"")
                    .append(axisY(height))
                    .append("\" stroke=\"#b00020\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n");
            b.append("<text class=\"sla-label\" x=\"")
                    .append(f(x - 4))
                    .append("\" y=\"")
                    .append(TOP - 10 + 14 * i - 14)
                    .append("\" text-anchor=\"end\" fill=\"#b00020\">")
                    .append(Markup.esc(label))
                    .append("</text>\n");
        }
        if (!offChart.isEmpty()) {
            b.append("<text class=\"sla-label sla-off-chart\" x=\"")
                    .append(WIDTH - RIGHT)
                    .append("\" y=\"")
                    .append(height - 4)
                    .append("\" text-anchor=\"end\" fill=\"#b00020\">")
                    .append(Markup.esc(String.join(", ", offChart)))
                    .append(" → (after the end of the chart)</text>\n");
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private static void axis(StringBuilder b, long span, double scale, int height) {
        int y = axisY(height);
        b.append("<line x1=\"")
                .append(LABEL)
                .append("\" y1=\"")
                .append(y)
                .append("\" x2=\"")
                .append(WIDTH - RIGHT)
                .append("\" y2=\"")
                .append(y)
                .append("\" stroke=\"#888\"/>\n");
        for (int i = 0; i <= 5; i++) {
            long t = span * i / 5;
            double x = x(t, scale);
            b.append("<line x1=\"")
                    .append(f(x))
                    .append("\" y1=\"")
                    .append(TOP - 6)
                    .append("\" x2=\"")
                    .append(f(x))
                    .append("\" y2=\"")
                    .append(y)
                    .append("\" stroke=\"#e0e0e0\"/>\n");
            b.append("<text x=\"")
                    .append(f(x))
                    .append("\" y=\"")
                    .append(y + 16)
                    .append("\" text-anchor=\"")
                    .append(i == 5 ? "end" : i == 0 ? "start" : "middle")
                    .append("\" fill=\"#444\">")
                    .append(Text.elapsed(t))
                    .append("</text>\n");
        }
    }

    private static void bar(StringBuilder b, Incident in, Attempt a, int row, double scale) {
        long from = Duration.between(in.start(), a.start()).toMillis();
        long len = Math.max(0, Duration.between(a.start(), a.end()).toMillis());
        double x = x(from, scale);
        double w = Math.max(2, len * scale);
        int y = TOP + row * ROW;
        String name = a.step() + (a.attempt() > 1 ? " #" + a.attempt() : "") + Text.phaseSuffix(a.phase());
        b.append("<text class=\"bar-label\" x=\"")
                .append(LABEL - 6)
                .append("\" y=\"")
                .append(y + 12)
                .append("\" text-anchor=\"end\">")
                .append(Markup.esc(name))
                .append("</text>\n");
        b.append("<rect class=\"bar bar-")
                .append(Markup.token(a.status()))
                .append("\" data-step=\"")
                .append(Markup.esc(a.step()))
                .append("\" data-attempt=\"")
                .append(a.attempt())
                .append("\" x=\"")
                .append(f(x))
                .append("\" y=\"")
                .append(y)
                .append("\" width=\"")
                .append(f(w))
                .append("\" height=\"")
                .append(BAR)
                .append("\" rx=\"2\" fill=\"")
                .append(colour(a.status()))
                .append("\"><title>")
                .append(Markup.esc(name + ": " + a.status() + ", " + Text.duration(a.durationMs())
                        + (a.error() == null ? "" : ", " + a.error())))
                .append("</title></rect>\n");
    }

    private static void marker(StringBuilder b, TimelineEntry e, double scale, int height) {
        double x = x(e.elapsedMs(), scale);
        String title = "<title>" + Markup.esc(Text.elapsed(e.elapsedMs()) + " " + e.text()) + "</title>";
        switch (EventType.of(e.type()).orElse(EventType.STEP_STARTED)) {
            case OPERATOR_DECISION:
                b.append("<polygon class=\"marker decision\" points=\"")
                        .append(f(x))
                        .append(",14 ")
                        .append(f(x + 6))
                        .append(",21 ")
                        .append(f(x))
                        .append(",28 ")
                        .append(f(x - 6))
                        .append(",21\" fill=\"#6a1b9a\">")
                        .append(title)
                        .append("</polygon>\n");
                break;
            case NOTE:
                b.append("<circle class=\"marker note\" cx=\"")
                        .append(f(x))
                        .append("\" cy=\"21\" r=\"5\" fill=\"#f9a825\">")
                        .append(title)
                        .append("</circle>\n");
                break;
            case ROLLBACK_STARTED:
                b.append("<line class=\"rollback-line\" x1=\"")
                        .append(f(x))
                        .append("\" y1=\"")
                        .append(TOP - 8)
                        .append("\" x2=\"")
                        .append(f(x))
                        .append("\" y2=\"")
                        .append(axisY(height))
                        .append("\" stroke=\"#6d4c41\" stroke-width=\"2\">")
                        .append(title)
                        .append("</line>\n");
                b.append("<text class=\"rollback-label\" x=\"")
                        .append(f(x + 4))
                        .append("\" y=\"")
                        .append(TOP - 4)
                        .append("\" fill=\"#6d4c41\">rollback</text>\n");
                break;
            default:
                break;
        }
    }

    private static int axisY(int height) {
        return height - 46;
    }

    private static double x(long ms, double scale) {
        return LABEL + ms * scale;
    }

    private static String f(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
