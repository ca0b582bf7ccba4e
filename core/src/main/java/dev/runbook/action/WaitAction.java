package dev.runbook.action;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.Durations;
import dev.runbook.model.Inventory;
import dev.runbook.template.Renderer;
import java.time.Duration;

/**
 * The {@code wait} action (contract, "Actions" table): a pause with a visible countdown.
 *
 * <p>Every second it reports {@code waiting 25s: <message>} through
 * {@code ctx.output().progress}. When {@code ctx.timeout()} is shorter than the duration,
 * it stops at the timeout and the attempt is timed out. No result fields, no expect keys.
 */
public final class WaitAction implements Action<ActionSpec.Wait> {

    /**
     * 24 h: the wait's own duration is what bounds it; a step {@code timeout} only matters
     * when it is shorter.
     */
    @Override
    public Duration defaultTimeout() {
        return Duration.ofHours(24);
    }

    /** {@code wait 30s}, then {@code : <message>} (masked) when there is one. */
    @Override
    public String target(ActionSpec.Wait spec, Renderer renderer, Inventory.Environment environment) {
        String base = "wait " + Durations.format(spec.duration());
        return spec.message() == null
                ? base
                : base + ": " + renderer.text(spec.message()).display();
    }

    /**
     * Waits.
     *
     * @return succeeded with no fields after the duration; timed out when
     *     {@code ctx.timeout()} is shorter
     * @throws InterruptedException when interrupted (at once)
     */
    @Override
    public ActionResult execute(ActionSpec.Wait spec, ActionContext ctx) throws InterruptedException {
        String message = spec.message() == null
                ? null
                : ctx.renderer().text(spec.message()).display();
        boolean cut = ctx.timeout().compareTo(spec.duration()) < 0;
        Duration length = cut ? ctx.timeout() : spec.duration();
        long end = System.nanoTime() + length.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            long shownSeconds = (left + 999_999_999L) / 1_000_000_000L;
            String text = "waiting " + Durations.format(Duration.ofSeconds(shownSeconds))
                    + (message == null ? "" : ": " + message);
            ctx.output().progress(text);
            long untilNextSecond = left - (shownSeconds - 1) * 1_000_000_000L;
            long sleep = Math.max(1, Math.min(left, untilNextSecond));
            Thread.sleep(sleep / 1_000_000L, (int) (sleep % 1_000_000L));
        }
        if (cut) {
            return ActionResult.timedOut(
                    ActionResult.newFields(),
                    "timed out after " + Durations.format(ctx.timeout()) + " of a " + Durations.format(spec.duration())
                            + " wait");
        }
        return ActionResult.ok(ActionResult.newFields());
    }
}
