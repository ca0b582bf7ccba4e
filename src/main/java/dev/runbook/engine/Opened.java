package dev.runbook.engine;

import dev.runbook.RunbookVersion;
import dev.runbook.model.Durations;
import dev.runbook.model.Runbook;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of {@code incident.opened} (contract, "The incident log"), plus the
 * project's extension {@code sla: {respond, resolve}} (durations as written, e.g. "5m")
 * so exports can judge the SLA from the log alone.
 */
final class Opened {

    private Opened() {}

    static Map<String, Object> fields(Plan plan, Instant start) {
        Runbook rb = plan.runbook();
        Map<String, Object> runbook = new LinkedHashMap<>();
        runbook.put("id", rb.id());
        runbook.put("title", rb.title());
        runbook.put("severity", rb.severity().name());
        runbook.put("path", rb.source().path());
        runbook.put("sha256", rb.source().sha256());
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("runbook", runbook);
        f.put("env", plan.envName());
        f.put("mode", plan.mode().logName());
        f.put("operator", plan.operator());
        f.put("host", plan.host());
        f.put("inputs", new LinkedHashMap<>(plan.inputs()));
        f.put("tool_version", RunbookVersion.get());
        Map<String, Object> sla = new LinkedHashMap<>();
        if (rb.sla().respond() != null) {
            sla.put("respond", Durations.format(rb.sla().respond()));
        }
        if (rb.sla().resolve() != null) {
            sla.put("resolve", Durations.format(rb.sla().resolve()));
        }
        f.put("sla", sla);
        return f;
    }
}
