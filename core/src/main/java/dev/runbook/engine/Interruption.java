package dev.runbook.engine;

import dev.runbook.action.Cancellation;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The stop request of one incident run (Ctrl-C): set from the signal thread, checked by the
 * walk between and inside steps; it cancels the running action (process killed, statement
 * cancelled, channel closed) and interrupts the walking thread. Thread-safe.
 */
final class Interruption {

    /** Thrown inside the walk when the run was asked to stop. */
    static final class Interrupted extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** The start of the error of a step a stop cut: "interrupted (Ctrl-C)" (docs/format.md). */
    static final String STEP_ERROR = "interrupted (";

    /** The error of a step this stop cut. */
    String stepError() {
        return STEP_ERROR + signal.label() + ")";
    }

    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile StopSignal signal = StopSignal.INT;
    private volatile Thread runner;
    private volatile Cancellation current;

    /** The walk starts on the calling thread. */
    void walking() {
        runner = Thread.currentThread();
    }

    /** Asks the run to stop; safe from any thread. */
    void request(StopSignal why) {
        if (requested.compareAndSet(false, true)) {
            signal = why;
        }
        Cancellation c = current;
        if (c != null) {
            c.cancel();
        }
        Thread t = runner;
        if (t != null) {
            t.interrupt();
        }
    }

    /** The signal that asked first (Ctrl-C until one did). */
    StopSignal signal() {
        return signal;
    }

    /** True once a stop was asked for. */
    boolean requested() {
        return requested.get();
    }

    /**
     * @throws Interrupted when a stop was asked for
     */
    void check() throws Interrupted {
        if (requested.get()) {
            throw new Interrupted();
        }
    }

    /** The running action's cancellation; null between actions. */
    void running(Cancellation c) {
        current = c;
    }

    /**
     * Sleeps, unless a stop comes first.
     *
     * @param ms milliseconds
     * @throws Interrupted when a stop was asked for before or during the sleep
     */
    void sleep(long ms) throws Interrupted {
        check();
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new Interrupted();
        }
    }
}
