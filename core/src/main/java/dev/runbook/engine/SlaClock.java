package dev.runbook.engine;

import dev.runbook.journal.Event;
import dev.runbook.model.Sla;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The SLA clock of a run (contract: {@code sla.breached}). {@code respond} is met by the
 * first action of the responder (the first step started or decision taken);
 * {@code resolve} by the incident closing {@code resolved}. Each breach is logged once, at
 * the moment it happens, by a timer thread, through the sink (the {@link Recorder}, which writes
 * nothing once the incident is closed).
 */
final class SlaClock implements AutoCloseable {

    private final Sla sla;
    private final Instant start;
    private final Clock clock;
    private final Consumer<Event.SlaBreached> sink;
    private final AtomicBoolean responded = new AtomicBoolean();
    private final AtomicBoolean done = new AtomicBoolean();
    private final AtomicBoolean respondBreached = new AtomicBoolean();
    private final AtomicBoolean resolveBreached = new AtomicBoolean();
    private final ScheduledExecutorService timer;

    /**
     * @param sla the targets
     * @param start when the incident opened (each target's timer fires at start + target)
     * @param clock now
     * @param sink where a breach is written
     * @param respondedAlready the responder acted already (a resumed incident)
     * @param breached the targets logged as breached already ({@code respond}, {@code resolve})
     */
    SlaClock(
            Sla sla,
            Instant start,
            Clock clock,
            Consumer<Event.SlaBreached> sink,
            boolean respondedAlready,
            java.util.Set<String> breached) {
        this.sla = sla;
        this.start = start;
        this.clock = clock;
        this.sink = sink;
        this.responded.set(respondedAlready);
        respondBreached.set(breached.contains("respond"));
        resolveBreached.set(breached.contains("resolve"));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runbook-sla");
            t.setDaemon(true);
            return t;
        });
        if (sla.respond() != null) {
            timer.schedule(
                    () -> {
                        if (!responded.get()) {
                            breach("respond", respondBreached);
                        }
                    },
                    remaining(sla.respond()),
                    TimeUnit.MILLISECONDS);
        }
        if (sla.resolve() != null) {
            timer.schedule(() -> breach("resolve", resolveBreached), remaining(sla.resolve()), TimeUnit.MILLISECONDS);
        }
    }

    /** Milliseconds until a target passes (0 when it has). */
    private long remaining(Duration target) {
        return Math.max(0, target.minus(elapsed()).toMillis());
    }

    /** The responder acted (a step started or a decision was taken). */
    void responded() {
        if (responded.compareAndSet(false, true)
                && sla.respond() != null
                && elapsed().compareTo(sla.respond()) > 0) {
            breach("respond", respondBreached);
        }
    }

    /** Time since the incident opened. */
    Duration elapsed() {
        return Duration.between(start, clock.instant());
    }

    private void breach(String which, AtomicBoolean flag) {
        if (!done.get() && flag.compareAndSet(false, true)) {
            sink.accept(new Event.SlaBreached(which, elapsed().toMillis()));
        }
    }

    /** The responder acted already. */
    boolean hasResponded() {
        return responded.get();
    }

    /** The targets logged as breached so far. */
    java.util.Set<String> breached() {
        java.util.Set<String> out = new java.util.HashSet<>();
        if (respondBreached.get()) {
            out.add("respond");
        }
        if (resolveBreached.get()) {
            out.add("resolve");
        }
        return out;
    }

    /** Stops the timers without logging anything (the clock is replaced by another severity's). */
    void stop() {
        done.set(true);
        timer.shutdownNow();
    }

    /** Stops the clock; a resolve target already passed is logged now if the timer has not. */
    @Override
    public void close() {
        if (sla.resolve() != null && elapsed().compareTo(sla.resolve()) > 0) {
            breach("resolve", resolveBreached);
        }
        done.set(true);
        timer.shutdownNow();
    }
}
