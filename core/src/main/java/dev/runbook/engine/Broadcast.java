package dev.runbook.engine;

import dev.runbook.action.ChatPoster;
import dev.runbook.journal.Event;
import dev.runbook.model.Channel;
import dev.runbook.model.Durations;
import dev.runbook.model.Escalation;
import dev.runbook.model.Outcome;
import dev.runbook.model.Updates;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Renderer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the engine says on its own, on the clock, whatever the walk is doing (issue 10, items 4
 * and 5; docs/format.md "Escalation on the clock", "Chat channels"): each escalation tier at its
 * time ({@code escalation.triggered}, a banner, a post to its channel), a banner for each SLA
 * breach, and the runbook's {@code updates} posted to its channel (opened, escalation, sla, every
 * N, closed). Posts run on their own thread, so neither the walk nor the clock waits on a chat
 * service; each is logged as {@code notification.posted}, and one that failed is shown.
 */
final class Broadcast {

    /** How long the close waits for posts still in flight, in ms. */
    private static final long DRAIN_MS = 20_000;

    private final Plan plan;
    private final Recorder rec;
    private final Operator op;
    private final Renderer renderer;
    private final Instant start;
    private final Clock clock;
    private final String incidentId;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "runbook-escalation"));
    private final ExecutorService posts = Executors.newSingleThreadExecutor(r -> daemon(r, "runbook-chat"));
    private volatile UpdateText texts;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    Broadcast(Plan plan, Recorder rec, Operator op, Renderer renderer, Instant start, Clock clock, String incidentId) {
        this.plan = plan;
        this.rec = rec;
        this.op = op;
        this.renderer = renderer;
        this.start = start;
        this.clock = clock;
        this.incidentId = incidentId;
        this.texts = (template, closing, verified) ->
                "INCIDENT " + plan.runbook().severity() + " - " + plan.runbook().title() + " (" + incidentId + "): "
                        + (closing == null ? template : "closed " + closing.logName());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The texts of the updates (the seeds' templates, from the caller). */
    void texts(UpdateText t) {
        this.texts = t;
    }

    /**
     * Starts the clock.
     *
     * @param fired the tiers the log shows as triggered already (a resumed incident)
     * @param resumed a resumed incident: the opening update was posted already
     */
    void start(Set<Integer> fired, boolean resumed) {
        for (Escalation e : plan.runbook().escalation()) {
            if (!fired.contains(e.level())) {
                timer.schedule(() -> escalate(e), remaining(e.after()), TimeUnit.MILLISECONDS);
            }
        }
        Updates u = plan.runbook().updates();
        if (u == null) {
            return;
        }
        if (u.on().contains(Updates.Moment.OPENED) && !resumed) {
            update("initial", Updates.Moment.OPENED.wire());
        }
        if (u.every() != null) {
            long every = u.every().toMillis();
            long elapsed = Duration.between(start, clock.instant()).toMillis();
            long first = every - elapsed % every;
            timer.scheduleAtFixedRate(() -> update("update", "update"), first, every, TimeUnit.MILLISECONDS);
        }
    }

    private long remaining(Duration target) {
        return Math.max(
                0, target.minus(Duration.between(start, clock.instant())).toMillis());
    }

    /** An escalation tier's time came: unless its condition holds now, it fires. */
    private void escalate(Escalation e) {
        if (closed.get() || !e.severities().isEmpty() && !e.severities().contains(rec.severity())) {
            return;
        }
        String[] message = new String[1];
        boolean skip = rec.read(() -> {
            if (e.unless() != null) {
                try {
                    if (renderer.test(e.unless())) {
                        return true;
                    }
                } catch (ExpressionException ex) {
                    // an unless that cannot be evaluated does not hold: escalate
                }
            }
            try {
                message[0] = renderer.text(e.message()).display();
            } catch (ExpressionException ex) {
                message[0] = e.message() + " (" + ex.getMessage() + ")";
            }
            return false;
        });
        if (skip) {
            return;
        }
        String after = Durations.format(e.after());
        if (!rec.record(new Event.EscalationTriggered(e.level(), after, message[0], e.to()))) {
            return; // closed meanwhile
        }
        op.banner("ESCALATION L" + e.level() + " (" + after + " since the incident opened): " + message[0]
                + (e.to() == null ? "" : " → " + e.to()));
        if (e.to() != null) {
            post(e.to(), message[0], "escalation");
        }
        Updates u = plan.runbook().updates();
        if (u != null && u.on().contains(Updates.Moment.ESCALATION)) {
            update("update", Updates.Moment.ESCALATION.wire());
        }
    }

    /** An SLA target passed (its {@code sla.breached} is written): the banner, and the update. */
    void breached(Event.SlaBreached b) {
        Duration target = b.sla().equals("respond")
                ? plan.runbook().sla().respond()
                : plan.runbook().sla().resolve();
        op.banner("SLA " + b.sla() + " BREACHED: the " + (target == null ? "" : Durations.format(target) + " ")
                + "target passed ("
                + Durations.format(Duration.ofMillis(b.elapsedMs()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                + " since the incident opened)");
        Updates u = plan.runbook().updates();
        if (u != null && u.on().contains(Updates.Moment.SLA)) {
            update("update", Updates.Moment.SLA.wire());
        }
    }

    private void update(String template, String event) {
        Updates u = plan.runbook().updates();
        posts.execute(() -> deliver(u.channel(), texts.text(template, null, false), event));
    }

    private void post(String channel, String text, String event) {
        posts.execute(() -> deliver(channel, text, event));
    }

    /** One post, logged; a failure shown. Runs on the posts' thread (or the closing one). */
    private void deliver(String channelName, String text, String event) {
        Channel ch = plan.environment() == null
                ? null
                : plan.environment().channels().get(channelName);
        ChatPoster.Delivery d;
        if (ch == null) {
            d = new ChatPoster.Delivery(
                    false, 0, "printed only: no environment declares channel '" + channelName + "' (give --env)");
        } else {
            try {
                String url = rec.read(() -> renderer.text(ch.webhook()).text());
                d = ChatPoster.post(
                        url, ch.format(), ch.timeout(), plan.masker().mask(text), incidentId, event);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                d = new ChatPoster.Delivery(false, 0, "interrupted");
            } catch (ExpressionException e) {
                d = new ChatPoster.Delivery(false, 0, "webhook: " + e.getMessage());
            }
        }
        rec.record(new Event.NotificationPosted(channelName, event, d.delivered(), d.attempts(), d.error()));
        if (!d.delivered()) {
            op.banner("NOT POSTED: " + event + " to " + channelName + ": " + d.error());
        }
    }

    /**
     * Stops the clock, waits (bounded) for the posts in flight, then posts the closing message
     * (not for an interrupted incident: it is not over) before {@code incident.closed} is written.
     */
    void close(Outcome outcome, boolean verified) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        timer.shutdownNow();
        posts.shutdown();
        try {
            posts.awaitTermination(DRAIN_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Updates u = plan.runbook().updates();
        if (u != null && u.on().contains(Updates.Moment.CLOSED) && outcome != Outcome.INTERRUPTED) {
            deliver(u.channel(), texts.text("resolution", outcome, verified), Updates.Moment.CLOSED.wire());
        }
    }
}
