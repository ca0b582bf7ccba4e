package dev.runbook.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Channel;
import dev.runbook.model.Inventory;
import dev.runbook.template.Rendered;
import dev.runbook.template.Renderer;
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

    /** The message's first line (masked), then {@code  → CHANNEL} or {@code  → webhook} when it is posted. */
    @Override
    public String target(ActionSpec.Notify spec, Renderer renderer, Inventory.Environment environment) {
        String first = HttpSupport.firstLine(renderer.text(spec.message()).display());
        if (spec.channel() != null) {
            return first + " → " + spec.channel();
        }
        return spec.webhook() == null ? first : first + " → webhook";
    }

    /**
     * Shows the message and posts it to its channel or webhook ({@link ChatPoster}: retried, bounded).
     *
     * @return succeeded with {@code posted_to} and {@code attempts} when delivered, or with {@code
     *     printed_only: true} when there is nowhere to post; failed when every attempt failed (the
     *     error says why, never the URL)
     * @throws InterruptedException when interrupted; the request is aborted
     */
    @Override
    public ActionResult execute(ActionSpec.Notify spec, ActionContext ctx) throws InterruptedException {
        Rendered message = ctx.renderer().text(spec.message());
        String text = message.display();
        text.lines().forEach(line -> ctx.output().line("notify", line));
        Map<String, Object> fields = ActionResult.newFields();
        fields.put("text", text);
        String url;
        Channel.Format format = Channel.Format.SLACK;
        Duration timeout = ctx.timeout();
        String to;
        if (spec.channel() != null) {
            Channel ch = ctx.environment() == null
                    ? null
                    : ctx.environment().channels().get(spec.channel());
            if (ch == null) { // no environment (the planner refuses an environment without it)
                fields.put("printed_only", true);
                fields.put("channel", spec.channel());
                return ActionResult.ok(fields);
            }
            url = ctx.renderer().text(ch.webhook()).text();
            format = ch.format();
            timeout = ch.timeout();
            to = ch.name();
        } else if (spec.webhook() != null) {
            url = ctx.renderer().text(spec.webhook()).text();
            to = "webhook";
        } else {
            fields.put("printed_only", true);
            return ActionResult.ok(fields);
        }
        ChatPoster.Delivery d = ChatPoster.post(
                url,
                format,
                timeout,
                text,
                ctx.renderer().text("${incident.id}").text(),
                "notify");
        fields.put("posted_to", to);
        fields.put("attempts", d.attempts());
        if (!d.delivered()) {
            return ActionResult.failed(
                    fields, "not posted to " + to + " after " + d.attempts() + " attempts: " + d.error());
        }
        return ActionResult.ok(fields);
    }

    /** The run's incident id ({@code incident.id}), or null outside a run. */
    private static String incidentId(ActionContext ctx) {
        try {
            return ctx.renderer().text("${incident.id}").text();
        } catch (dev.runbook.template.ExpressionException e) {
            return null;
        }
    }
}
