package dev.runbook.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A runbook's incident-level updates (docs/format.md, "Chat channels"): {@code updates: {channel,
 * on: [opened, escalation, sla, closed], every: 15m}}: the seeds' three messages (initial, update,
 * resolution; gestion-incidents.md) posted to a channel of the environment, filled from the log.
 *
 * @param channel a channel of the environment
 * @param on the moments that post
 * @param every also post the update at this period; null for never
 */
public record Updates(String channel, Set<Moment> on, Duration every) {

    /** When an update is posted. */
    public enum Moment {
        /** The incident opened: the initial message. */
        OPENED("opened"),
        /** An escalation tier triggered: the update message. */
        ESCALATION("escalation"),
        /** An SLA target passed: the update message. */
        SLA("sla"),
        /** The incident closed: the resolution message. */
        CLOSED("closed");

        private final String wire;

        Moment(String wire) {
            this.wire = wire;
        }

        /** Its name in {@code on:}. */
        public String wire() {
            return wire;
        }

        /** The moment named {@code text}, or empty. */
        public static Optional<Moment> of(String text) {
            for (Moment m : values()) {
                if (m.wire.equals(text == null ? null : text.toLowerCase(Locale.ROOT))) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }
}
