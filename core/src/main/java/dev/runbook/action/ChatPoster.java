package dev.runbook.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.model.Channel;
import dev.runbook.template.Masker;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Posts a message to a chat webhook (docs/format.md, "Chat channels"): Slack's incoming-webhook
 * JSON {@code {"text": …}}, or the generic {@code {"text": …, "incident": …, "event": …}};
 * {@code Content-Type: application/json}, TLS always verified. A failed attempt (no answer within
 * the channel's timeout, a refused connection, an answer other than 2xx) is retried {@link
 * #ATTEMPTS} times in all, {@link #BACKOFF_MS} apart, so the whole post is bounded: at most 3 ×
 * timeout + 1.5 s. The webhook URL never appears in an error.
 */
public final class ChatPoster {

    /** Attempts of one post. */
    public static final int ATTEMPTS = 3;
    /** The waits before the second and third attempts, in ms. */
    static final long[] BACKOFF_MS = {500, 1000};

    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatPoster() {}

    /**
     * How a post went.
     *
     * @param delivered a 2xx answer was received
     * @param attempts attempts made (1…{@link #ATTEMPTS})
     * @param error the last attempt's error ({@code HTTP 500}, {@code no answer within 5s}…); null
     *     when delivered
     */
    public record Delivery(boolean delivered, int attempts, String error) {}

    /**
     * Posts a message.
     *
     * @param url the webhook, rendered (a secret: never in an error)
     * @param format the body's shape
     * @param timeout per attempt
     * @param text the message, masked by the caller
     * @param incident the incident id (the {@code json} format's {@code incident})
     * @param event what the message is about (the {@code json} format's {@code event}): {@code
     *     notify}, {@code escalation}, {@code update}…
     * @return how it went; never throws for a failed post
     * @throws InterruptedException when the run is stopped while posting
     */
    public static Delivery post(
            String url, Channel.Format format, Duration timeout, String text, String incident, String event)
            throws InterruptedException {
        Masker hide = new Masker();
        hide.add(url);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        if (format == Channel.Format.JSON) {
            body.put("incident", incident);
            body.put("event", event);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build();
        } catch (IllegalArgumentException e) {
            return new Delivery(false, 1, "invalid webhook URL");
        } catch (JsonProcessingException e) {
            return new Delivery(false, 1, "cannot encode the message: " + e.getOriginalMessage());
        }
        String error = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                Thread.sleep(BACKOFF_MS[attempt - 2]);
            }
            HttpSupport.Exchange x = HttpSupport.send(HttpSupport.client(false, timeout), request, 4096, timeout);
            if (x.failure() != null) {
                error = hide.mask(x.failure().reason());
                continue;
            }
            int status = x.response().statusCode();
            if (status >= 200 && status <= 299) {
                return new Delivery(true, attempt, null);
            }
            error = "HTTP " + status;
        }
        return new Delivery(false, ATTEMPTS, error);
    }
}
