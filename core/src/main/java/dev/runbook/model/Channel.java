package dev.runbook.model;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A chat channel of an environment (docs/format.md, "Chat channels"): {@code channels: {NAME:
 * {webhook: URL, format: slack|json, timeout: 5s}}} in the inventory.
 *
 * @param name its name in the environment
 * @param webhook the webhook URL, a template (usually {@code ${secrets.X}})
 * @param format the body posted
 * @param timeout per attempt; default 5 s
 */
public record Channel(String name, String webhook, Format format, Duration timeout) {

    /** The default per-attempt timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The body a channel receives. */
    public enum Format {
        /** Slack's incoming-webhook JSON: {@code {"text": …}}. */
        SLACK("slack"),
        /** {@code {"text": …, "incident": …, "event": …}}. */
        JSON("json");

        private final String wire;

        Format(String wire) {
            this.wire = wire;
        }

        /** Its name in the inventory. */
        public String wire() {
            return wire;
        }

        /** The format named {@code text}, or empty. */
        public static Optional<Format> of(String text) {
            for (Format f : values()) {
                if (f.wire.equals(text == null ? null : text.toLowerCase(Locale.ROOT))) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }
}
