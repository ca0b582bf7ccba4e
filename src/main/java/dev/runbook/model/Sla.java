package dev.runbook.model;

import java.time.Duration;

/**
 * A runbook's service-level targets: time to respond (first step started) and to
 * resolve (incident closed {@code resolved}). Either may be null.
 */
public record Sla(Duration respond, Duration resolve) {
}
