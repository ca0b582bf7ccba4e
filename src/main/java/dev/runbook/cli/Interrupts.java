package dev.runbook.cli;

import dev.runbook.engine.Engine;
import dev.runbook.model.Outcome;
import java.util.Optional;

/**
 * Ctrl-C during a run (issue 2): SIGINT stops the running step (its process killed),
 * the log is closed with outcome {@code interrupted}, and the exit code is 130. When the
 * run is waiting at a prompt (a blocking read no interrupt can end), the log is closed
 * from the signal thread and the JVM halts with 130 after a 5 s grace.
 */
final class Interrupts implements AutoCloseable {

    /** Longer than an action's own kill grace (the shell action waits 2 s before SIGKILL). */
    private static final long GRACE_MS = 5000;

    private final Optional<Signals.Installed> installed;

    private Interrupts(Optional<Signals.Installed> installed) {
        this.installed = installed;
    }

    /** Routes SIGINT to the engine until closed; a no-op where SIGINT cannot be handled. */
    static Interrupts install(Engine engine) {
        Thread walker = Thread.currentThread();
        return new Interrupts(Signals.handle("INT", () -> {
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
        }));
    }

    /** Puts back the previous SIGINT handler. */
    @Override
    public void close() {
        installed.ifPresent(Signals.Installed::restore);
    }

    /** Runs {@code body} with SIGINT routed to the engine. */
    static <T> T during(Engine engine, java.util.function.Supplier<T> body) {
        Interrupts handler = install(engine);
        try {
            return body.get();
        } finally {
            handler.close();
        }
    }
}
