package dev.runbook.action.ssh;

import com.jcraft.jsch.Session;

/**
 * The run's SSH session to one host, kept in {@link dev.runbook.action.Resources} under
 * {@code ssh:<host name>} so later steps reuse it (issue: "one SSH session per host per
 * run"). Created empty and connected on first use, outside the Resources lock, so that a
 * fan-out connects to several hosts at once. {@link #close()} disconnects.
 */
public final class SshSession implements AutoCloseable {

    /** Opens a connected JSch session. */
    @FunctionalInterface
    public interface Opener {
        /**
         * @return a connected session
         * @throws SshException when it cannot connect (one-line message)
         * @throws InterruptedException when cancelled while connecting
         */
        Session open() throws SshException, InterruptedException;
    }

    private final String hostName;
    private final Object openLock = new Object();
    private volatile Session session;
    private volatile boolean closed;

    /** @param hostName the inventory host name */
    public SshSession(String hostName) {
        this.hostName = hostName;
    }

    /** The inventory host name. */
    public String hostName() {
        return hostName;
    }

    /**
     * The connected session, opened now when there is none yet (a failed attempt leaves
     * none, so the next use tries again). Threads wanting the same host wait for one open.
     *
     * @throws SshException when opening fails
     * @throws InterruptedException when cancelled
     * @throws IllegalStateException after {@link #close()} (also when it closed during the open)
     */
    public Session connected(Opener opener) throws SshException, InterruptedException {
        synchronized (openLock) {
            Session s = session;
            if (s == null && !closed) {
                s = opener.open();
                synchronized (this) {
                    if (!closed) {
                        session = s;
                    }
                }
            }
            if (closed) {
                if (s != null) {
                    s.disconnect();
                }
                throw new IllegalStateException("the SSH session to " + hostName + " is closed");
            }
            return s;
        }
    }

    /** True when a session was opened and has since disconnected (it must be discarded). */
    public boolean broken() {
        Session s = session;
        return closed || s != null && !s.isConnected();
    }

    /** Disconnects the session, if any; does not wait for a connect in progress (that one is dropped). */
    @Override
    public synchronized void close() {
        closed = true;
        Session s = session;
        session = null;
        if (s != null) {
            s.disconnect();
        }
    }
}
