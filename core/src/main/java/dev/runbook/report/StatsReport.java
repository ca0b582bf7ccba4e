package dev.runbook.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders {@link Stats.Report} as a text table or as JSON ({@code "schema": 1}, durations in ms). */
public final class StatsReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatsReport() {}

    /** A text table: one row per severity then {@code all}, then the MTBF lines. */
    public static String text(Stats.Report r) {
        StringBuilder b = new StringBuilder();
        String fmt = "%-5s %5s  %-7s %-7s %-7s  %-7s %-7s %-7s  %-11s  %s%n";
        b.append(String.format(
                Locale.ROOT,
                fmt,
                "SEV",
                "COUNT",
                "MTTA",
                "median",
                "p90",
                "MTTR",
                "median",
                "p90",
                "SLA BREACH",
                "OUTCOMES"));
        for (Stats.Group g : r.bySeverity()) {
            row(b, fmt, g);
        }
        row(b, fmt, r.overall());
        if (!r.mtbf().isEmpty()) {
            b.append("\nMTBF per runbook (end of one incident to start of the next):\n");
            r.mtbf()
                    .forEach(m -> b.append(String.format(
                            Locale.ROOT,
                            "  %-24s %s over %d incidents%n",
                            m.runbook(),
                            Text.duration(m.mtbfMs()),
                            m.incidents())));
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String fmt, Stats.Group g) {
        b.append(String.format(
                Locale.ROOT,
                fmt,
                g.name(),
                g.count(),
                Text.duration(g.mtta().mean()),
                Text.duration(g.mtta().median()),
                Text.duration(g.mtta().p90()),
                Text.duration(g.mttr().mean()),
                Text.duration(g.mttr().median()),
                Text.duration(g.mttr().p90()),
                rate(g),
                g.outcomes().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "))));
    }

    private static String rate(Stats.Group g) {
        Double r = g.breachRate();
        return r == null ? "no SLA" : String.format(Locale.ROOT, "%.0f%% (%d/%d)", r * 100, g.breached(), g.withSla());
    }

    /** JSON: {@code {schema, overall, by_severity: [...], mtbf: [...]}}. */
    public static String json(Stats.Report r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", 1);
        group(root.putObject("overall"), r.overall());
        ArrayNode sev = root.putArray("by_severity");
        r.bySeverity().forEach(g -> group(sev.addObject(), g));
        ArrayNode m = root.putArray("mtbf");
        r.mtbf()
                .forEach(x -> m.addObject()
                        .put("runbook", x.runbook())
                        .put("incidents", x.incidents())
                        .put("mtbf_ms", x.mtbfMs()));
        return JsonText.pretty(root);
    }

    private static void group(ObjectNode o, Stats.Group g) {
        o.put("severity", g.name());
        o.put("count", g.count());
        ObjectNode out = o.putObject("outcomes");
        for (Map.Entry<String, Integer> e : g.outcomes().entrySet()) {
            out.put(e.getKey(), e.getValue());
        }
        summary(o.putObject("mtta_ms"), g.mtta());
        summary(o.putObject("mttr_ms"), g.mttr());
        o.put("with_sla", g.withSla());
        o.put("sla_breached", g.breached());
        o.put("sla_breach_rate", g.breachRate());
    }

    private static void summary(ObjectNode o, Stats.Summary s) {
        o.put("samples", s.samples());
        o.put("mean", s.mean());
        o.put("median", s.median());
        o.put("p90", s.p90());
    }
}
