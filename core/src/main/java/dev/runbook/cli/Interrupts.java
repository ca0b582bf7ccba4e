package dev.runbook.cli;

import dev.runbook.console.Signals;
import dev.runbook.engine.Engine;
import dev.runbook.engine.Operator;
import dev.runbook.engine.StopSignal;
import dev.runbook.model.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Stop signals during a run (contract, "Exit codes"): SIGINT (Ctrl-C), SIGTERM and SIGHUP (the
 * responder's session to the bastion dropped) stop the running step (its process group killed,
 * its remote command ended, its statement cancelled), the open step is closed, the log is closed
 * {@code interrupted}, and the exit code is 130, 143 or 129. When the run is waiting at a prompt
 * (a blocking read no interrupt can end), the log is closed from the signal's thread and the JVM
 * halts at once; when a step is running, it has {@link #GRACE_MS} to stop before the same.
 */
final class Interrupts {

    /** Longer than an action's own kill grace (the shell action waits 2 s before SIGKILL). */
    private static final long GRACE_MS = 5000;

    private Interrupts() {}

    /**
     * Runs {@code body} with the stop signals routed to the engine.
     *
     * @param engine the run
     * @param op the console (tells whether a prompt is waiting)
     * @param closed run after the log is closed from the signal's thread, before the JVM halts
     *     (signs the log)
     * @param body the walk
     * @return what the body returned
     */
    static <T> T during(Engine engine, Operator op, Runnable closed, Supplier<T> body) {
        Thread walker = Thread.currentThread();
        List<Signals.Installed> installed = new ArrayList<>();
        for (StopSignal s : StopSignal.values()) {
            Signals.handle(s.name(), () -> stop(engine, op, walker, s, closed)).ifPresent(installed::add);
        }
        try {
            return body.get();
        } finally {
            installed.forEach(Signals.Installed::restore);
        }
    }

    private static void stop(Engine engine, Operator op, Thread walker, StopSignal s, Runnable closed) {
        engine.interrupt(s);
        if (!op.waitingForInput()) {
            try {
                walker.join(GRACE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (walker.isAlive()) {
            engine.close(Outcome.INTERRUPTED);
            closed.run();
            op.restoreTerminal();
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(engine.stoppedBy().orElse(s).exitCode());
        }
    }
}
