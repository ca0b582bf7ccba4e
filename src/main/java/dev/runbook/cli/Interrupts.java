package dev.runbook.cli;

import dev.runbook.engine.Engine;
import dev.runbook.engine.Outcome;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C during a run (issue 2): SIGINT stops the running step (its process killed),
 * the log is closed with outcome {@code interrupted}, and the exit code is 130. When the
 * run is waiting at a prompt (a blocking read no interrupt can end), the log is closed
 * from the signal thread and the JVM halts with 130 after a 5 s grace.
 * Uses {@code sun.misc.Signal} (module jdk.unsupported, present on JDK 17, 21 and 25).
 */
final class Interrupts implements AutoCloseable {

    /** Longer than an action's own kill grace (the shell action waits 2 s before SIGKILL). */
    private static final long GRACE_MS = 5000;

    private final SignalHandler previous;
    private final Signal signal;

    private Interrupts(Signal signal, SignalHandler previous) {
        this.signal = signal;
        this.previous = previous;
    }

    /** Routes SIGINT to the engine until closed; a no-op where SIGINT cannot be handled. */
    static Interrupts install(Engine engine) {
        Signal sig = new Signal("INT");
        Thread walker = Thread.currentThread();
        try {
            SignalHandler prev = Signal.handle(sig, s -> {
                engine.interrupt();
                try {
                    walker.join(GRACE_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (walker.isAlive()) {
                    engine.close(Outcome.INTERRUPTED);
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                }
            });
            return new Interrupts(sig, prev);
        } catch (IllegalArgumentException e) {
            return new Interrupts(null, null);
        }
    }

    @Override
    public void close() {
        if (signal != null) {
            Signal.handle(signal, previous);
        }
    }
}
