package dev.runbook.engine;

import dev.runbook.RunbookVersion;
import dev.runbook.journal.Event;
import dev.runbook.journal.JournalWriter;
import dev.runbook.model.Durations;
import dev.runbook.model.Runbook;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The opening of an incident: {@code incident.opened} (contract, "The incident log", plus the
 * project's extension {@code sla: {respond, resolve}}, durations as written, e.g. "5m", so
 * exports can judge the SLA from the log alone) and the {@code incident.*} template names.
 */
public final class Opened {

    private Opened() {}

    /** The {@code incident.opened} event of a run: the log's first line, written when it is created. */
    public static Event.IncidentOpened event(Plan plan, Instant start) {
        Runbook rb = plan.runbook();
        Map<String, Object> runbook = new LinkedHashMap<>();
        runbook.put("id", rb.id());
        runbook.put("title", rb.title());
        runbook.put("severity", rb.severity().name());
        runbook.put("path", rb.source().path());
        runbook.put("sha256", rb.source().sha256());
        Map<String, String> sla = new LinkedHashMap<>();
        if (rb.sla().respond() != null) {
            sla.put("respond", Durations.format(rb.sla().respond()));
        }
        if (rb.sla().resolve() != null) {
            sla.put("resolve", Durations.format(rb.sla().resolve()));
        }
        return new Event.IncidentOpened(
                runbook,
                plan.envName(),
                plan.mode().logName(),
                plan.operator(),
                plan.host(),
                new LinkedHashMap<>(plan.inputs()),
                RunbookVersion.get(),
                sla,
                plan.startAt(),
                parent(plan));
    }

    private static Map<String, String> parent(Plan plan) {
        if (plan.parent() == null) {
            return null;
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("incident", plan.parent().incident());
        p.put("step", plan.parent().step());
        return p;
    }

    /** Fills {@code incident.id}, {@code severity}, {@code operator}, {@code started_at}. */
    static void scope(Plan plan, String incidentId, Instant start) {
        Map<String, Object> incident = plan.scope().get("incident");
        incident.put("id", incidentId);
        incident.put("severity", plan.runbook().severity().name());
        incident.put("operator", plan.operator());
        incident.put("started_at", JournalWriter.TS.format(start));
    }
}
