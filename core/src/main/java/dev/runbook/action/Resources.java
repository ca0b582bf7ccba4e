package dev.runbook.action;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connections shared by the steps of one run (contract and issue: "one connection per
 * database per run, reused"; "one SSH session per host per run"). Opened on first use,
 * all closed by {@link #close()} at the end of the run, also after Ctrl-C. Thread-safe.
 */
public final class Resources implements AutoCloseable {

    /** Opens a resource; may throw anything, reported by the caller. */
    @FunctionalInterface
    public interface Opener<T extends AutoCloseable> {
        /** @return the opened resource */
        T open() throws Exception;
    }

    private final Map<String, AutoCloseable> open = new LinkedHashMap<>();

    /**
     * The resource under this key, opened now when it is not open yet.
     *
     * @param key for example {@code sql:main} or {@code ssh:web1}
     * @param type its class
     * @param opener how to open it
     * @throws Exception what the opener throws
     */
    public synchronized <T extends AutoCloseable> T get(String key, Class<T> type, Opener<T> opener) throws Exception {
        AutoCloseable r = open.get(key);
        if (r == null) {
            r = opener.open();
            open.put(key, r);
        }
        return type.cast(r);
    }

    /** Closes and forgets one resource (after it broke), so the next use opens it again. */
    public synchronized void discard(String key) {
        AutoCloseable r = open.remove(key);
        closeQuietly(r);
    }

    /** Closes every resource, last opened first; errors are ignored. */
    @Override
    public synchronized void close() {
        var keys = new java.util.ArrayList<>(open.keySet());
        java.util.Collections.reverse(keys);
        keys.forEach(k -> closeQuietly(open.get(k)));
        open.clear();
    }

    private static void closeQuietly(AutoCloseable r) {
        if (r != null) {
            try {
                r.close();
            } catch (Exception ignored) {
                // closing at the end of a run: nothing more to do
            }
        }
    }
}
