package dev.runbook.model;

import java.time.Duration;
import java.util.Map;

/**
 * A runbook's service-level targets: time to respond (the first operator action: a step
 * started or a decision taken, whichever comes first) and to
 * resolve (incident closed {@code resolved}). Either may be null.
 *
 * @param respond the respond target, or null
 * @param resolve the resolve target, or null
 * @param bySeverity the targets of the other severities the incident may be re-classified to
 *     (extension: {@code sla: {respond, resolve, P2: {respond, resolve}, …}}, docs/format.md
 *     "Severity changes"); empty when none
 */
public record Sla(Duration respond, Duration resolve, Map<Severity, Sla> bySeverity) {

    /** Targets without per-severity ones. */
    public Sla(Duration respond, Duration resolve) {
        this(respond, resolve, Map.of());
    }

    /**
     * The targets of a severity: its own when declared, else these.
     *
     * @param severity the incident's severity now
     */
    public Sla of(Severity severity) {
        return bySeverity.getOrDefault(severity, this);
    }
}
