package dev.runbook.model;

import java.time.Duration;

/**
 * One tier of a runbook's {@code escalation:} list (docs/format.md, "Escalation on the clock"):
 * at {@code after} since the incident opened, unless {@code unless} is true then, the engine
 * logs {@code escalation.triggered}, shows a banner and posts the message to channel {@code to}.
 *
 * @param level 1-based, in file order
 * @param after time since the incident opened
 * @param unless an expression over the run's scope; null for always
 * @param message the message (key {@code notify}), a template
 * @param to a channel of the environment; null to show and log only
 * @param severities the tier fires only while the incident has one of these severities (key
 *     {@code severity: [P1, P2]}); empty for any
 */
public record Escalation(
        int level, Duration after, String unless, String message, String to, java.util.Set<Severity> severities) {}
