package dev.runbook.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Incident metrics over several logs, per severity and overall (definitions after the
 * seeds' gestion-incidents.md "Métriques", measured from the logs):
 * <ul>
 *   <li>MTTA (Mean Time To Acknowledge): start to the first operator action, the first
 *       {@code operator.decision}, else the first {@code step.started};</li>
 *   <li>MTTR (Mean Time To Resolve): start to {@code incident.closed}, for incidents
 *       closed {@code resolved} or {@code rolled_back};</li>
 *   <li>SLA breach rate: incidents with a breached target / incidents with a target;</li>
 *   <li>MTBF (Mean Time Between Failures), per runbook with two incidents or more: the
 *       mean time from the end of one incident to the start of the next.</li>
 * </ul>
 * Medians average the two middle values; p90 is the nearest-rank 90th percentile.
 */
public final class Stats {

    private Stats() {}

    /**
     * Summary of one group of incidents. Durations are milliseconds, null when no sample.
     *
     * @param name the severity, or {@code all}
     * @param count incidents in the group
     * @param outcomes count per outcome ({@code unfinished} for logs not closed), sorted by name
     * @param mtta acknowledge times: mean, median, p90
     * @param mttr resolve times: mean, median, p90
     * @param withSla incidents with at least one SLA target
     * @param breached incidents with a breached target
     */
    public record Group(
            String name,
            int count,
            Map<String, Integer> outcomes,
            Summary mtta,
            Summary mttr,
            int withSla,
            int breached) {

        /** breached / withSla, or null when no incident has an SLA. */
        public Double breachRate() {
            return withSla == 0 ? null : breached / (double) withSla;
        }
    }

    /**
     * Mean, median and p90 of a sample in milliseconds.
     *
     * @param samples how many values
     */
    public record Summary(int samples, Long mean, Long median, Long p90) {}

    /**
     * MTBF of one runbook.
     *
     * @param runbook the runbook id
     * @param incidents how many incidents it had
     * @param mtbfMs mean gap between the end of one and the start of the next, in milliseconds
     */
    public record Mtbf(String runbook, int incidents, long mtbfMs) {}

    /**
     * The whole result.
     *
     * @param overall every incident
     * @param bySeverity one group per severity, P1 first
     * @param mtbf per runbook with two incidents or more, by id
     */
    public record Report(Group overall, List<Group> bySeverity, List<Mtbf> mtbf) {}

    /** Computes the metrics of these incidents. */
    public static Report compute(List<Incident> incidents) {
        Map<String, List<Incident>> bySev = new TreeMap<>();
        for (Incident in : incidents) {
            bySev.computeIfAbsent(in.severity() == null ? "?" : in.severity(), k -> new ArrayList<>())
                    .add(in);
        }
        List<Group> groups = new ArrayList<>();
        bySev.forEach((sev, list) -> groups.add(group(sev, list)));
        return new Report(group("all", incidents), groups, mtbf(incidents));
    }

    private static Group group(String name, List<Incident> list) {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<Long> ack = new ArrayList<>();
        List<Long> res = new ArrayList<>();
        int withSla = 0;
        int breached = 0;
        for (Incident in : list) {
            outcomes.merge(in.outcomeLabel(), 1, Integer::sum);
            if (in.ackMs() != null) {
                ack.add(in.ackMs());
            }
            if (in.resolveMs() != null) {
                res.add(in.resolveMs());
            }
            if (in.hasSla()) {
                withSla++;
                breached += in.slaBreached() ? 1 : 0;
            }
        }
        return new Group(name, list.size(), outcomes, summary(ack), summary(res), withSla, breached);
    }

    /** Mean, median and nearest-rank p90 of the values (ms); nulls when empty. */
    public static Summary summary(List<Long> values) {
        if (values.isEmpty()) {
            return new Summary(0, null, null, null);
        }
        List<Long> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        long sum = v.stream().mapToLong(Long::longValue).sum();
        long median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        int rank = (int) Math.ceil(0.9 * n);
        return new Summary(n, Math.round(sum / (double) n), median, v.get(Math.max(0, rank - 1)));
    }

    private static List<Mtbf> mtbf(List<Incident> incidents) {
        Map<String, List<Incident>> byRunbook = new TreeMap<>();
        incidents.forEach(i -> byRunbook
                .computeIfAbsent(String.valueOf(i.runbookId()), k -> new ArrayList<>())
                .add(i));
        List<Mtbf> out = new ArrayList<>();
        byRunbook.forEach((rb, list) -> {
            if (list.size() < 2) {
                return;
            }
            list.sort(Comparator.comparing(Incident::start));
            long total = 0;
            for (int i = 1; i < list.size(); i++) {
                total += Math.max(
                        0,
                        Duration.between(list.get(i - 1).end(), list.get(i).start())
                                .toMillis());
            }
            out.add(new Mtbf(rb, list.size(), Math.round(total / (double) (list.size() - 1))));
        });
        return out;
    }

    /** Groups in a map by name, for callers that look one up. */
    public static Map<String, Group> byName(Report r) {
        Map<String, Group> m = new LinkedHashMap<>();
        m.put("all", r.overall());
        r.bySeverity().forEach(g -> m.put(g.name(), g));
        return m;
    }
}
