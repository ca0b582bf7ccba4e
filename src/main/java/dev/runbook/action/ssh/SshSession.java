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
    private Session session;
    private boolean closed;

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
     * none, so the next use tries again).
     *
     * @throws SshException when opening fails
     * @throws InterruptedException when cancelled
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized Session connected(Opener opener) throws SshException, InterruptedException {
        if (closed) {
            throw new IllegalStateException("the SSH session to " + hostName + " is closed");
        }
        if (session == null) {
            session = opener.open();
        }
        return session;
    }

    /** True when a session was opened and has since disconnected (it must be discarded). */
    public synchronized boolean broken() {
        return closed || session != null && !session.isConnected();
    }

    /** Disconnects the session, if any. */
    @Override
    public synchronized void close() {
        closed = true;
        if (session != null) {
            session.disconnect();
            session = null;
        }
    }
}
