package dev.runbook.model;

import java.time.Duration;

/**
 * A runbook's service-level targets: time to respond (the first operator action: a step
 * started or a decision taken, whichever comes first) and to
 * resolve (incident closed {@code resolved}). Either may be null.
 */
public record Sla(Duration respond, Duration resolve) {}
