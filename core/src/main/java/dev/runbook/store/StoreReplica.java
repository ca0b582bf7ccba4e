package dev.runbook.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Copies a run's events to the store in the order the local log got them (docs/team.md, "When the
 * store is down"): the local log stays the write-ahead source of truth; each line is handed here
 * after it was fsync'd and sent by one background thread, one transaction per event. The walk never
 * waits for the store: {@link #add} only queues. While the store cannot be reached, events stay
 * queued and are sent again every {@link #RETRY_MS} ms; the console is told "store: N events
 * behind" once when it falls behind and once when it caught up.
 */
public final class StoreReplica implements AutoCloseable {

    /** How long to wait before trying an unreachable store again, in ms. */
    static final long RETRY_MS = 1_000;

    private final Store store;
    private final Consumer<String> say;
    private final Deque<String> queue = new ArrayDeque<>();
    private final Thread thread;
    private Connection connection;
    private boolean closing;
    private boolean behindSaid;
    private String lastError;
    private String conflict;

    /**
     * Starts the sender thread.
     *
     * @param store the store
     * @param say where "store: …" lines go (the console)
     */
    public StoreReplica(Store store, Consumer<String> say) {
        this.store = store;
        this.say = say;
        this.thread = new Thread(this::send, "runbook-store");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues one log line (exact bytes, no newline) to send; never blocks on the store. */
    public synchronized void add(String line) {
        queue.addLast(line);
        notifyAll();
    }

    /** How many events are not in the store yet. */
    public synchronized int behind() {
        return queue.size();
    }

    /** Why the last send failed, or null. */
    public synchronized String lastError() {
        return lastError;
    }

    private void send() {
        while (true) {
            String line;
            synchronized (this) {
                while (queue.isEmpty() && !closing) {
                    waitQuietly(0);
                }
                if (queue.isEmpty() || conflict != null) {
                    return;
                }
                line = queue.peekFirst();
            }
            try {
                if (connection == null) {
                    connection = store.connect();
                }
                Store.append(connection, line);
                synchronized (this) {
                    queue.pollFirst();
                    lastError = null;
                    if (queue.isEmpty() && behindSaid) {
                        behindSaid = false;
                        say.accept("store: caught up (" + store.describe() + ")");
                    }
                    notifyAll();
                }
            } catch (Store.ConflictException e) {
                synchronized (this) {
                    conflict = e.getMessage();
                    lastError = e.getMessage();
                    say.accept("⚠ store: " + e.getMessage() + "; nothing more is sent");
                    notifyAll();
                }
                return;
            } catch (SQLException | RuntimeException e) {
                closeConnection();
                synchronized (this) {
                    lastError = e.getMessage();
                    if (!behindSaid) {
                        behindSaid = true;
                        say.accept("store: " + queue.size() + " event(s) behind (" + store.describe() + ": "
                                + e.getMessage() + "); the run goes on, they are sent when it is back");
                    }
                    if (closing) {
                        notifyAll();
                        return;
                    }
                    waitQuietly(RETRY_MS);
                }
            }
        }
    }

    /**
     * Waits up to a bound for the queue to be sent, then stops the sender.
     *
     * @param maxMs the longest wait, in ms
     * @return the events still not sent (0: the store has the whole log)
     */
    public int finish(long maxMs) {
        long end = System.nanoTime() + maxMs * 1_000_000;
        synchronized (this) {
            while (!queue.isEmpty() && conflict == null && System.nanoTime() < end) {
                waitQuietly(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            }
            closing = true;
            notifyAll();
        }
        try {
            thread.join(Math.max(1, maxMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return behind();
    }

    /**
     * Records the closed log's signature in the store, once everything was sent.
     *
     * @return true when it was recorded
     */
    public boolean signature(String incident, String armored) {
        if (behind() > 0) {
            return false;
        }
        try (Connection c = store.connect()) {
            Store.signature(c, incident, armored);
            return true;
        } catch (SQLException e) {
            synchronized (this) {
                lastError = e.getMessage();
            }
            return false;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        closeConnection();
    }

    private void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already gone
            }
        }
    }

    private void waitQuietly(long ms) {
        try {
            wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        }
    }
}
