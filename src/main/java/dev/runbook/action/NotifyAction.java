package dev.runbook.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Inventory;
import dev.runbook.template.Masker;
import dev.runbook.template.Rendered;
import dev.runbook.template.Renderer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code notify} action (contract, "Actions" table): a message shown to the operator,
 * and POSTed as {@code {"text": message}} to a webhook when one is set.
 *
 * <p>The message is rendered as text; each of its lines goes to {@code ctx.output()}
 * (source {@code notify}). The webhook (a URL template, usually a secret) gets the masked
 * message as JSON ({@code Content-Type: application/json}), TLS always verified, within
 * {@code ctx.timeout()} (default 30 s). The webhook URL never appears in the target nor in
 * error messages.
 *
 * <p>Result field: {@code text} (the message, masked). No expect keys.
 */
public final class NotifyAction implements Action<ActionSpec.Notify> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 30 s. */
    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(30);
    }

    /** The message's first line (masked), then {@code  → webhook} when a webhook is set. */
    @Override
    public String target(ActionSpec.Notify spec, Renderer renderer, Inventory.Environment environment) {
        String first = HttpSupport.firstLine(renderer.text(spec.message()).display());
        return spec.webhook() == null ? first : first + " → webhook";
    }

    /**
     * Shows the message and posts it to the webhook.
     *
     * @return succeeded; failed when the webhook cannot be reached or answers other than 2xx;
     *     timed out when it does not answer within {@code ctx.timeout()}
     * @throws InterruptedException when interrupted; the request is aborted
     */
    @Override
    public ActionResult execute(ActionSpec.Notify spec, ActionContext ctx) throws InterruptedException {
        Rendered message = ctx.renderer().text(spec.message());
        String text = message.display();
        text.lines().forEach(line -> ctx.output().line("notify", line));
        Map<String, Object> fields = ActionResult.newFields();
        fields.put("text", text);
        if (spec.webhook() == null) {
            return ActionResult.ok(fields);
        }

        String url = ctx.renderer().text(spec.webhook()).text();
        Masker hide = new Masker();
        hide.add(url);
        Duration timeout = ctx.timeout();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("text", text))))
                    .build();
        } catch (IllegalArgumentException e) {
            return ActionResult.failed(fields, "webhook: invalid URL");
        } catch (JsonProcessingException e) {
            return ActionResult.failed(fields, "webhook: cannot encode the message: " + e.getOriginalMessage());
        }
        HttpSupport.Exchange exchange = HttpSupport.send(HttpSupport.client(false, timeout), request, 4096, timeout);
        if (exchange.failure() != null) {
            String msg =
                    ctx.masker().mask(hide.mask("webhook: " + exchange.failure().reason()));
            return exchange.failure().timedOut()
                    ? ActionResult.timedOut(fields, msg)
                    : ActionResult.failed(fields, msg);
        }
        HttpResponse<HttpSupport.Body> response = exchange.response();
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            return ActionResult.failed(fields, "webhook answered " + status);
        }
        return ActionResult.ok(fields);
    }
}
