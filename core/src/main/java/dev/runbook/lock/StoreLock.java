package dev.runbook.lock;

import dev.runbook.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The (runbook, environment) lock across machines (issue 11, item 3; docs/team.md): a PostgreSQL
 * session advisory lock ({@code pg_try_advisory_lock}) held on a connection of its own for the
 * run's whole duration, with its holder in the store's {@code locks} table for the next responder
 * to read. It goes with the connection: a killed run or a lost network releases it, and a watchdog
 * checks the connection every {@link #WATCH_MS} ms and says so when it was lost. It is taken
 * together with the local {@link RunLock}, which it wraps.
 */
public final class StoreLock implements ResponderLock {

    /** How often the lock's connection is checked, in ms. */
    static final long WATCH_MS = 2_000;

    private final RunLock local;
    private final Connection connection;
    private final long key;
    private final RunLock.Holder stolenFrom;
    private final Thread watchdog;
    private volatile boolean closed;

    private StoreLock(
            RunLock local, Connection connection, long key, RunLock.Holder stolenFrom, Consumer<String> lost) {
        this.local = local;
        this.connection = connection;
        this.key = key;
        this.stolenFrom = stolenFrom;
        this.watchdog = new Thread(() -> watch(lost), "runbook-store-lock");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The store cannot be reached (connection refused, timed out, authentication failed). */
    public static final class UnreachableException extends IOException {
        private static final long serialVersionUID = 1L;

        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Takes the store's lock, then the local one.
     *
     * @param store the team's store
     * @param logDir the local log directory (for the local lock)
     * @param runbook the runbook id
     * @param env the environment, or null
     * @param operator who runs it
     * @param host this machine
     * @param steal when held: end the holder's store session ({@code pg_terminate_backend}, which
     *     needs the role to be the holder's or a member of {@code pg_signal_backend}) and take it
     * @param lost told once when the lock's connection is lost (the lock is then released)
     * @throws RunLock.HeldException when another run holds it (its holder from the store)
     * @throws UnreachableException when the store cannot be reached
     * @throws IOException when the lock cannot be taken
     */
    public static StoreLock acquire(
            Store store,
            java.nio.file.Path logDir,
            String runbook,
            String env,
            String operator,
            String host,
            boolean steal,
            Consumer<String> lost)
            throws RunLock.HeldException, IOException {
        String envName = env == null ? "none" : env;
        long key = key(runbook, envName);
        Connection c;
        try {
            c = store.connect();
        } catch (SQLException e) {
            throw new UnreachableException(
                    "the team store " + store.describe() + " cannot be reached to take the lock of " + runbook + " on "
                            + envName + " (" + e.getMessage() + ")",
                    e);
        }
        try {
            RunLock.Holder stolen = null;
            boolean held = tryLock(c, key);
            if (!held) {
                RunLock.Holder holder = holder(c, key)
                        .orElse(new RunLock.Holder(runbook, envName, null, "unknown", "unknown", -1, "unknown"));
                if (!steal) {
                    c.close();
                    throw new RunLock.HeldException(holder);
                }
                stolen = holder;
                terminateHolder(c, key);
                for (int i = 0; i < 25 && !held; i++) {
                    sleep(200);
                    held = tryLock(c, key);
                }
                if (!held) {
                    c.close();
                    throw new IOException("could not take the lock of " + runbook + " on " + envName + " from "
                            + holder.describe() + " in the store");
                }
            }
            try (PreparedStatement p = c.prepareStatement("insert into locks (lock_key, runbook, environment,"
                    + " incident, operator, host, pid, since, backend_pid) values (?,?,?,null,?,?,?,?,pg_backend_pid())"
                    + " on conflict (lock_key) do update set runbook = excluded.runbook,"
                    + " environment = excluded.environment, incident = null, operator = excluded.operator,"
                    + " host = excluded.host, pid = excluded.pid, since = excluded.since,"
                    + " backend_pid = excluded.backend_pid")) {
                p.setLong(1, key);
                p.setString(2, runbook);
                p.setString(3, envName);
                p.setString(4, operator);
                p.setString(5, host);
                p.setLong(6, ProcessHandle.current().pid());
                p.setTimestamp(7, Timestamp.from(Instant.now()));
                p.executeUpdate();
            }
            RunLock local;
            try {
                local = RunLock.acquire(logDir, runbook, env, operator, host, steal);
            } catch (RunLock.HeldException | IOException e) {
                c.close();
                throw e;
            }
            return new StoreLock(local, c, key, stolen, lost);
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone
            }
            throw new IOException(
                    "the team store " + store.describe() + " refused the lock of " + runbook + " on " + envName + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * The incidents whose run holds its store lock now (its connection is alive).
     *
     * @throws SQLException when the store fails
     */
    public static Set<String> running(Connection c) throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement p = c.prepareStatement("select l.incident from locks l where l.incident is not null"
                        + " and exists (select 1 from pg_locks k where k.locktype = 'advisory' and k.granted"
                        + " and k.pid = l.backend_pid and k.objid = (l.lock_key & 4294967295)::bigint::text::oid"
                        + " and k.classid = (l.lock_key >> 32)::bigint::text::oid)");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                ids.add(r.getString(1));
            }
        }
        return ids;
    }

    @Override
    public void incident(String id) throws IOException {
        local.incident(id);
        try (PreparedStatement p = connection.prepareStatement(
                "update locks set incident = ? where lock_key = ? and backend_pid = pg_backend_pid()")) {
            p.setString(1, id);
            p.setLong(2, key);
            p.executeUpdate();
        } catch (SQLException e) {
            // the watchdog says the connection was lost; the local lock holds
        }
    }

    @Override
    public Optional<RunLock.Holder> stolenFrom() {
        return Optional.ofNullable(stolenFrom);
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
        try (PreparedStatement p = connection.prepareStatement(
                "delete from locks where lock_key = ? and backend_pid = pg_backend_pid()")) {
            p.setLong(1, key);
            p.executeUpdate();
        } catch (SQLException e) {
            // the connection is gone, and the lock with it
        }
        try {
            connection.close(); // ends the session: the advisory lock goes with it
        } catch (SQLException e) {
            // gone already
        }
        local.close();
    }

    private void watch(Consumer<String> lost) {
        while (!closed) {
            sleep(WATCH_MS);
            if (closed) {
                return;
            }
            boolean valid;
            try {
                valid = connection.isValid(2);
            } catch (SQLException e) {
                valid = false;
            }
            if (!valid && !closed) {
                lost.accept("⚠ store: the connection holding the lock was lost: the lock is released in the store,"
                        + " so another responder can start this runbook on this environment (the run goes on)");
                return;
            }
        }
    }

    private static boolean tryLock(Connection c, long key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select pg_try_advisory_lock(?)")) {
            p.setLong(1, key);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static Optional<RunLock.Holder> holder(Connection c, long key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "select runbook, environment, incident, operator, host, pid, since from locks where lock_key = ?")) {
            p.setLong(1, key);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RunLock.Holder(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getLong(6),
                        r.getTimestamp(7).toInstant().toString()));
            }
        }
    }

    private static void terminateHolder(Connection c, long key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select pg_terminate_backend(k.pid) from pg_locks k"
                + " where k.locktype = 'advisory' and k.granted and k.objid = (? & 4294967295)::bigint::text::oid"
                + " and k.classid = (? >> 32)::bigint::text::oid")) {
            p.setLong(1, key);
            p.setLong(2, key);
            p.execute();
        }
    }

    /** The lock's key: the first 63 bits of SHA-256("runbook\0env"). */
    static long key(String runbook, String env) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((runbook + "\0" + env).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int i = 0; i < 8; i++) {
                k = (k << 8) | (h[i] & 0xff);
            }
            return k & Long.MAX_VALUE;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
