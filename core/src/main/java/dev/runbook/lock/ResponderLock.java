package dev.runbook.lock;

import java.io.IOException;
import java.util.Optional;

/**
 * The (runbook, environment) lock a run holds for its whole duration (issue 10, item 2; issue 11,
 * item 3): a file lock of the log directory ({@link RunLock}), or with a team store also a
 * PostgreSQL session advisory lock ({@link StoreLock}).
 */
public interface ResponderLock extends AutoCloseable {

    /** Records the incident id with the holder, once the log exists. */
    void incident(String id) throws IOException;

    /** The holder this lock was stolen from ({@code --steal-lock}), if it was. */
    Optional<RunLock.Holder> stolenFrom();

    /** Releases the lock; never throws. */
    @Override
    void close();

    /**
     * Takes the lock of a runbook on an environment: the store's and the local one when a team
     * store is declared, else the local one. A store that cannot be reached does not hold up the
     * incident: the lock then holds on this machine only, and {@code say} is told so.
     *
     * @param store the team store, or null
     * @param say told when the store cannot be reached, and when its lock connection is lost
     * @throws RunLock.HeldException when another run holds it
     * @throws IOException when the lock cannot be taken
     * @see RunLock#acquire
     * @see StoreLock#acquire
     */
    static ResponderLock acquire(
            dev.runbook.store.Store store,
            java.nio.file.Path logDir,
            String runbook,
            String env,
            String operator,
            String host,
            boolean steal,
            java.util.function.Consumer<String> say)
            throws RunLock.HeldException, IOException {
        if (store != null) {
            try {
                return StoreLock.acquire(store, logDir, runbook, env, operator, host, steal, say);
            } catch (StoreLock.UnreachableException e) {
                say.accept("⚠ store: " + e.getMessage() + ": the lock holds on this machine only; the events are"
                        + " sent when the store is back");
            }
        }
        return RunLock.acquire(logDir, runbook, env, operator, host, steal);
    }
}
