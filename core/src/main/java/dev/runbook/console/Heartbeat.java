package dev.runbook.console;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Feedback while an attempt runs silent (issue 12, item 10): once it has printed nothing for 2 s,
 * a spinner with the elapsed time on a terminal (a transient status line, replaced in place), or
 * otherwise (a pipe, a CI log) one line every {@code every} of silence, so that nobody wonders
 * whether the tool hangs. Output of the step resets the silence. One attempt at a time; one
 * daemon timer thread serves every heartbeat of the process.
 */
final class Heartbeat {

    /** Silence before the first sign, in ms. */
    static final long QUIET_MS = 2_000;

    private static final String FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";

    private final boolean tty;
    private final long everyMs;
    private final Consumer<String> status;
    private final Consumer<String> line;
    private final LongSupplier clockMs;
    private ScheduledFuture<?> task;
    private long startedMs;
    private volatile long lastOutputMs;
    private long lastBeatMs;
    private int frame;

    /**
     * @param tty true on a terminal: a spinner through {@code status}; else lines through {@code line}
     * @param everyMs silence between two heartbeat lines off a terminal, in ms
     * @param status shows a transient status (replaced by the next one or by any line)
     * @param line prints a line
     * @param clockMs the time in ms (monotonic)
     */
    Heartbeat(boolean tty, long everyMs, Consumer<String> status, Consumer<String> line, LongSupplier clockMs) {
        this.tty = tty;
        this.everyMs = everyMs;
        this.status = status;
        this.line = line;
        this.clockMs = clockMs;
    }

    /** An attempt starts: the silence counts from now. */
    synchronized void start() {
        stop();
        startedMs = clockMs.getAsLong();
        lastOutputMs = startedMs;
        lastBeatMs = startedMs;
        long tick = tty ? 250 : 1_000;
        task = Timer.SCHEDULER.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** The attempt printed something. */
    void output() {
        lastOutputMs = clockMs.getAsLong();
    }

    /** The attempt ended. */
    synchronized void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    synchronized void tick() {
        if (task == null) {
            return;
        }
        long now = clockMs.getAsLong();
        long silent = now - lastOutputMs;
        if (silent < QUIET_MS) {
            return;
        }
        String elapsed = seconds(now - startedMs);
        if (tty) {
            frame = (frame + 1) % FRAMES.length();
            status.accept(FRAMES.charAt(frame) + " running " + elapsed
                    + (lastOutputMs > startedMs ? " (no output for " + seconds(silent) + ")" : ""));
        } else if (now - Math.max(lastBeatMs, lastOutputMs) >= everyMs) {
            lastBeatMs = now;
            line.accept("    … still running after " + elapsed + " (no output for " + seconds(silent) + ")");
        }
    }

    /** One daemon timer thread for the process, made on first use. */
    private static final class Timer {
        static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runbook-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    private static String seconds(long ms) {
        long s = ms / 1000;
        return s >= 60 ? s / 60 + "m" + String.format("%02d", s % 60) + "s" : s + "s";
    }
}
