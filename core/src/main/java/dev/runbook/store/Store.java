package dev.runbook.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.model.JdbcUrls;
import dev.runbook.model.Sha256;
import dev.runbook.model.StoreRef;
import dev.runbook.postgres.Libpq;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The team's incident store on PostgreSQL (docs/team.md): the schema {@code runbook}, created and
 * migrated by Flyway from {@code db/store}; every incident's events byte for byte as its local log
 * holds them, its head (last seq and SHA-256, signature) and the holders of the (runbook,
 * environment) locks. Connections time out in seconds, never hang a run: connect 3 s, socket 10 s.
 */
public final class Store {

    /** The schema every table lives in. */
    public static final String SCHEMA = "runbook";
    /** The LISTEN/NOTIFY channel; the payload is the incident id whose events were added. */
    public static final String CHANNEL = "runbook_events";

    private static final Pattern SECRET = Pattern.compile("\\$\\{secrets\\.([A-Za-z_][A-Za-z0-9_]*)}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final StoreRef ref;
    private final PGSimpleDataSource source;

    private Store(StoreRef ref, PGSimpleDataSource source) {
        this.ref = ref;
        this.source = source;
    }

    /**
     * A store from the inventory's {@code store:}.
     *
     * @param ref the declaration; its URL in any form of {@link Libpq} (JDBC, {@code postgresql://},
     *     {@code service=NAME}), what it leaves out taken from libpq's {@code PG*} variables
     * @param env the invocation's environment: {@code ${secrets.NAME}} is read from NAME, and the
     *     {@code PG*} variables
     * @throws IllegalArgumentException when the password's variable is not set, or the URL is not
     *     an accepted form
     */
    public static Store of(StoreRef ref, Map<String, String> env) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        Libpq.Connect target = Libpq.connect(ref.url(), ref.user(), env);
        ds.setURL(target.url());
        for (Map.Entry<String, String> p : target.properties().entrySet()) {
            try {
                ds.setProperty(p.getKey(), p.getValue());
            } catch (SQLException e) { // Libpq gives the driver's own property names
                throw new IllegalArgumentException("store: " + p.getKey() + ": " + e.getMessage(), e);
            }
        }
        if (ref.password() != null) {
            Matcher m = SECRET.matcher(ref.password());
            if (!m.matches()) {
                throw new IllegalArgumentException("store: password must be ${secrets.NAME}");
            }
            String value = env.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("store: the password's environment variable " + m.group(1)
                        + " is not set (store: password: " + ref.password() + ")");
            }
            ds.setPassword(value);
        }
        ds.setConnectTimeout(3);
        ds.setLoginTimeout(3);
        ds.setSocketTimeout(10);
        ds.setTcpKeepAlive(true);
        ds.setApplicationName("runbook");
        return new Store(ref, ds);
    }

    /** The store for messages: its URL without credentials. */
    public String describe() {
        return JdbcUrls.redact(ref.url());
    }

    /**
     * A new connection, its search path on the store's schema, auto-commit on.
     *
     * @throws SQLException when the server cannot be reached or refuses the role
     */
    public Connection connect() throws SQLException {
        Connection c = source.getConnection();
        try (var s = c.createStatement()) {
            s.execute("set search_path to " + SCHEMA);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Creates or migrates the schema ({@code runbook store init}), idempotently.
     *
     * @return Flyway's result: versions before and after, migrations applied
     * @throws org.flywaydb.core.api.FlywayException when the server refuses or a migration fails
     */
    public MigrateResult init() {
        return Flyway.configure(Store.class.getClassLoader())
                .dataSource(source)
                .schemas(SCHEMA)
                .createSchemas(true)
                .locations("classpath:db/store")
                .load()
                .migrate();
    }

    /** The store holds a different event at this seq: the two copies forked or one was rewritten. */
    public static final class ConflictException extends SQLException {
        private static final long serialVersionUID = 1L;

        ConflictException(String message) {
            super(message);
        }
    }

    /**
     * Appends one event, byte for byte, in one transaction: the incident's row (made from its
     * {@code incident.opened}, updated at {@code incident.closed}), the event (nothing when the same
     * line is already there: a replay), its head, and a NOTIFY on {@link #CHANNEL}.
     *
     * @param c a connection of {@link #connect()}
     * @param line the exact log line, without its newline
     * @return true when it was added, false when the store held it already
     * @throws ConflictException when another line holds that seq
     * @throws SQLException when the server fails (nothing was written)
     */
    public static boolean append(Connection c, String line) throws SQLException {
        Map<String, Object> f;
        try {
            f = JSON.readValue(line, MAP);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not an event: " + e.getMessage(), e);
        }
        String incident = String.valueOf(f.get("incident"));
        long seq = ((Number) f.get("seq")).longValue();
        String type = String.valueOf(f.get("type"));
        Timestamp ts = Timestamp.from(Instant.parse(String.valueOf(f.get("ts"))));
        c.setAutoCommit(false);
        try {
            if ("incident.opened".equals(type)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> rb = f.get("runbook") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                try (PreparedStatement p = c.prepareStatement("insert into incidents (id, runbook, environment,"
                        + " severity, operator, host, opened_at, head_seq, head_hash) values (?,?,?,?,?,?,?,0,'')"
                        + " on conflict (id) do nothing")) {
                    p.setString(1, incident);
                    p.setString(2, String.valueOf(rb.get("id")));
                    p.setString(3, str(f.get("env")));
                    p.setString(4, str(rb.get("severity")));
                    p.setString(5, str(f.get("operator")));
                    p.setString(6, str(f.get("host")));
                    p.setTimestamp(7, ts);
                    p.executeUpdate();
                }
            }
            int added;
            try (PreparedStatement p = c.prepareStatement("insert into events (incident, seq, prev, type, ts, line)"
                    + " values (?,?,?,?,?,?) on conflict (incident, seq) do nothing")) {
                p.setString(1, incident);
                p.setLong(2, seq);
                p.setString(3, String.valueOf(f.get("prev")));
                p.setString(4, type);
                p.setTimestamp(5, ts);
                p.setString(6, line);
                added = p.executeUpdate();
            }
            if (added == 0) {
                String held =
                        lines(c, incident, seq - 1, seq).stream().findFirst().orElse(null);
                if (!line.equals(held)) {
                    throw new ConflictException("the store holds another event " + seq + " of " + incident
                            + ": the local log and the store differ (log verify --store tells which is intact)");
                }
            } else {
                try (PreparedStatement p = c.prepareStatement("update incidents set head_seq = ?, head_hash = ?,"
                        + " updated_at = now(), operator = coalesce(?, operator),"
                        + " severity = coalesce(?, severity), closed_at = coalesce(?, closed_at),"
                        + " outcome = coalesce(?, outcome) where id = ? and head_seq < ?")) {
                    p.setLong(1, seq);
                    p.setString(2, Sha256.hex(line));
                    p.setString(3, "incident.resumed".equals(type) ? str(f.get("operator")) : null);
                    p.setString(4, "incident.severity_changed".equals(type) ? str(f.get("to")) : null);
                    p.setTimestamp(5, "incident.closed".equals(type) ? ts : null);
                    p.setString(6, "incident.closed".equals(type) ? str(f.get("outcome")) : null);
                    p.setString(7, incident);
                    p.setLong(8, seq);
                    p.executeUpdate();
                }
                try (PreparedStatement p = c.prepareStatement("select pg_notify(?, ?)")) {
                    p.setString(1, CHANNEL);
                    p.setString(2, incident);
                    p.execute();
                }
            }
            c.commit();
            return added > 0;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is gone: nothing was committed
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is gone
            }
        }
    }

    /**
     * Records the closed log's signature (armored SSHSIG), once the head is the log's last event.
     *
     * @param c a connection
     * @param incident the incident id
     * @param signature the {@code .sig} file's text
     * @throws SQLException when the server fails
     */
    public static void signature(Connection c, String incident, String signature) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("update incidents set signature = ? where id = ?")) {
            p.setString(1, signature);
            p.setString(2, incident);
            p.executeUpdate();
        }
    }

    /**
     * The events of an incident after a seq, in order, as exact lines.
     *
     * @param after the last seq already held (0: from the start)
     * @param upTo the last seq wanted (inclusive); {@link Long#MAX_VALUE} for all
     * @throws SQLException when the server fails
     */
    public static List<String> lines(Connection c, String incident, long after, long upTo) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "select line from events where incident = ? and seq > ? and seq <= ? order by seq")) {
            p.setString(1, incident);
            p.setLong(2, after);
            p.setLong(3, upTo);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * One incident as the store knows it.
     *
     * @param id the incident id
     * @param runbook the runbook id
     * @param headSeq its last event's seq
     * @param headHash its last event's SHA-256 (hex)
     * @param signature the closed log's armored signature, or null
     * @param closed its log holds {@code incident.closed}
     */
    public record Head(String id, String runbook, long headSeq, String headHash, String signature, boolean closed) {}

    /**
     * Every incident of the store, or those whose id starts with a prefix.
     *
     * @param prefix an id prefix; "" for all
     * @throws SQLException when the server fails
     */
    public static List<Head> heads(Connection c, String prefix) throws SQLException {
        List<Head> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("select id, runbook, head_seq, head_hash, signature,"
                + " outcome is not null from incidents where starts_with(id, ?) order by id")) {
            p.setString(1, prefix);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new Head(
                            r.getString(1),
                            r.getString(2),
                            r.getLong(3),
                            r.getString(4),
                            r.getString(5),
                            r.getBoolean(6)));
                }
            }
        }
        return out;
    }

    /** One incident's head, if the store has it. */
    public static Optional<Head> head(Connection c, String id) throws SQLException {
        return heads(c, id).stream().filter(h -> h.id().equals(id)).findFirst();
    }

    private static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
