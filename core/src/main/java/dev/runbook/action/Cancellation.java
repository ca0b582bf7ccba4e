package dev.runbook.action;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Ctrl-C for a running step: the engine cancels; actions register what stops their work
 * (kill a process, cancel a statement, close a channel). The running thread is also
 * interrupted, so blocking waits end with {@link InterruptedException}.
 */
public final class Cancellation {

    private final CopyOnWriteArrayList<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    /**
     * Registers a hook run on cancel (at once when already cancelled).
     *
     * @return closing it unregisters the hook
     */
    public AutoCloseable onCancel(Runnable hook) {
        hooks.add(hook);
        if (cancelled) {
            hook.run();
        }
        return () -> hooks.remove(hook);
    }

    /** Cancels: runs every hook once. */
    public void cancel() {
        cancelled = true;
        for (Runnable r : hooks) {
            try {
                r.run();
            } catch (RuntimeException ignored) {
                // best effort: the other hooks must still run
            }
        }
    }

    /** True after {@link #cancel()}. */
    public boolean cancelled() {
        return cancelled;
    }
}
