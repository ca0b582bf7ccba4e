package dev.runbook.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Durations;
import dev.runbook.model.Inventory;
import dev.runbook.model.JdbcUrls;
import dev.runbook.postgres.Libpq;
import dev.runbook.template.Rendered;
import dev.runbook.template.Renderer;
import dev.runbook.template.Template;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The {@code sql} action (contract, "Actions" table): one statement on a PostgreSQL
 * database of the environment (the step's {@code database}, else the environment's first).
 *
 * <p>The query is rendered with {@link Renderer#sql}: every interpolated value is a
 * {@code ?} bind parameter, never SQL text (contract: "Injection-safe by construction").
 * Strings are sent untyped ({@code stringtype=unspecified}) so the server infers their
 * type ({@code WHERE id = ${inputs.id}} works on an integer column).
 *
 * <p>One connection per database per run, kept in {@code ctx.resources()} under
 * {@code sql:<name>} and reused; after a connection-level error it is discarded, so the
 * next step reconnects, and a kept connection that no longer answers (ended by the server
 * since the last step: a restart, a database dropped and re-created) is replaced before use. Connection properties: {@code user}, {@code password} (rendered as
 * text: it may be {@code ${secrets.PGPASSWORD}}), {@code connectTimeout} the step's timeout
 * (10 s at most), {@code loginTimeout} the step's timeout,
 * {@code socketTimeout} {@code ctx.timeout()} + 5 s, {@code ApplicationName=runbook}.
 * Autocommit is on: each statement is its own transaction.
 *
 * <p>Result fields: {@code rows} (at most {@link #MAX_ROWS} maps, column label → number,
 * string, boolean, null, a list for arrays, plain Java values for json/jsonb; dates, times
 * and timestamps as ISO-8601 strings; bytea as {@code \x…} hex), {@code row_count} (every
 * row returned, also past the kept ones; 0 for a statement without rows), {@code updated}
 * (the update count, for a statement without a result set). Expect keys:
 * {@code row_count}, {@code min_rows}, {@code max_rows}.
 */
public final class SqlAction implements Action<ActionSpec.Sql> {

    /** The most rows kept in {@code rows}. */
    public static final int MAX_ROWS = 1000;

    /** The connect timeout, in seconds. */
    public static final int CONNECT_TIMEOUT_SECONDS = 10;

    /** How long a kept connection has to answer before reuse ({@code Connection.isValid}), in seconds. */
    static final int VALID_TIMEOUT_SECONDS = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** 30 s. */
    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(30);
    }

    /**
     * The rendered query as displayed (masked, with its parameters), then
     * {@code @ <database>}; the database is the step's, or {@code default} for the
     * environment's first one (the renderer does not know the environment).
     */
    @Override
    public String target(ActionSpec.Sql spec, Renderer renderer, Inventory.Environment environment) {
        String db = spec.database() != null
                ? spec.database()
                : environment == null
                        ? "default"
                        : environment
                                .database(null)
                                .map(Inventory.Database::name)
                                .orElse("default");
        return renderer.sql(spec.query()).display() + " @ " + db;
    }

    /**
     * Runs the statement and checks the expectations.
     *
     * @return succeeded; failed (no environment or unknown database, cannot connect, an SQL
     *     error as {@code SQLSTATE 42P01: relation "x" does not exist}, or an expectation
     *     false with the fields kept); timed out when the query passed {@code ctx.timeout()}
     *     (whole seconds, at least 1)
     * @throws InterruptedException when cancelled ({@code ctx.cancellation()} cancels the
     *     running statement) or interrupted
     */
    @Override
    public ActionResult execute(ActionSpec.Sql spec, ActionContext ctx) throws InterruptedException {
        if (ctx.cancellation().cancelled()) {
            throw new InterruptedException("sql step '" + ctx.stepId() + "' cancelled");
        }
        Inventory.Environment env = ctx.environment();
        if (env == null) {
            return ActionResult.failed(
                    ActionResult.newFields(),
                    "sql step '" + ctx.stepId() + "' needs an environment with a database (--env NAME)");
        }
        Inventory.Database db = env.database(spec.database()).orElse(null);
        if (db == null) {
            String known = env.databases() == null || env.databases().isEmpty()
                    ? "none"
                    : String.join(", ", env.databases().keySet());
            return ActionResult.failed(
                    ActionResult.newFields(),
                    spec.database() == null
                            ? "environment '" + env.name() + "' has no database"
                            : "unknown database '" + spec.database() + "' in environment '" + env.name()
                                    + "' (databases: " + known + ")");
        }
        String key = "sql:" + db.name();
        Renderer r = ctx.renderer();
        Rendered query = r.sql(spec.query());

        Connection conn;
        try {
            conn = ctx.resources().get(key, Connection.class, () -> open(db, r, ctx.timeout(), ctx.processEnv()));
            if (!conn.isValid(VALID_TIMEOUT_SECONDS)) {
                // ended since the last step (e.g. a database re-created by supabase db reset)
                ctx.resources().discard(key);
                conn = ctx.resources().get(key, Connection.class, () -> open(db, r, ctx.timeout(), ctx.processEnv()));
            }
        } catch (SQLException e) {
            return ActionResult.failed(
                    ActionResult.newFields(),
                    ctx.masker()
                            .mask("cannot connect to database '" + db.name() + "' (" + JdbcUrls.redact(db.url()) + "): "
                                    + describe(e)));
        } catch (Exception e) {
            return ActionResult.failed(
                    ActionResult.newFields(),
                    ctx.masker()
                            .mask("cannot connect to database '" + db.name() + "' (" + JdbcUrls.redact(db.url()) + "): "
                                    + HttpSupport.firstLine(e.getMessage())));
        }

        try {
            conn.setNetworkTimeout(Runnable::run, (int)
                    Math.min(Integer.MAX_VALUE, ctx.timeout().plusSeconds(5).toMillis()));
        } catch (SQLException e) {
            ctx.resources().discard(key);
            return ActionResult.failed(
                    ActionResult.newFields(), ctx.masker().mask("database '" + db.name() + "': " + describe(e)));
        }

        ActionResult result = runStatement(spec, ctx, conn, key, query);
        if (ctx.cancellation().cancelled() || Thread.interrupted()) {
            throw new InterruptedException("sql step '" + ctx.stepId() + "' cancelled");
        }
        return result;
    }

    private static ActionResult runStatement(
            ActionSpec.Sql spec, ActionContext ctx, Connection conn, String key, Rendered query) {
        try (PreparedStatement ps = conn.prepareStatement(query.text())) {
            List<Object> params = query.params();
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            long seconds = Math.max(1, (ctx.timeout().toMillis() + 999) / 1000);
            ps.setQueryTimeout((int) Math.min(Integer.MAX_VALUE, seconds));
            Map<String, Object> fields;
            AutoCloseable hook = ctx.cancellation().onCancel(() -> cancel(ps));
            try {
                fields = run(ps);
            } finally {
                closeQuietly(hook);
            }
            List<String> problems = check(spec, (Integer) fields.get("row_count"));
            if (!problems.isEmpty()) {
                return ActionResult.failed(fields, String.join("; ", problems));
            }
            return ActionResult.ok(fields);
        } catch (SQLException e) {
            if ("57014".equals(e.getSQLState()) && !ctx.cancellation().cancelled()) {
                return ActionResult.timedOut(
                        ActionResult.newFields(),
                        "query cancelled after " + Durations.format(ctx.timeout()) + " (SQLSTATE 57014)");
            }
            if (broken(conn, e)) {
                ctx.resources().discard(key);
            }
            return ActionResult.failed(ActionResult.newFields(), ctx.masker().mask(describe(e)));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // unregistering a hook does not fail
        }
    }

    private static Connection open(Inventory.Database db, Renderer r, Duration timeout, Map<String, String> env)
            throws SQLException {
        Properties props = new Properties();
        // libpq's conventions: postgresql:// URIs, service=NAME, PGHOST/PGPORT/PGDATABASE/PGUSER/
        // PGSSLMODE from the invocation's environment, as libpq reads them (postgres.Libpq)
        Libpq.Connect target = Libpq.connect(
                db.url(), db.user() == null ? null : r.text(db.user()).text(), env);
        props.putAll(target.properties());
        // a password whose secret was left unset because the password file meets it (Planner):
        // none is sent, and the driver reads ~/.pgpass (PGPASSFILE)
        if (db.password() != null
                && Template.parse(db.password()).names("secrets").stream().allMatch(n -> r.defines("secrets", n))) {
            props.setProperty("password", r.text(db.password()).text());
        }
        // connect and login obey the step's timeout (whole seconds, at least 1; 10 s at most to connect)
        long limit = Math.max(1, Math.min(CONNECT_TIMEOUT_SECONDS, (timeout.toMillis() + 999) / 1000));
        props.setProperty("connectTimeout", String.valueOf(limit));
        props.setProperty("loginTimeout", String.valueOf(Math.max(1, (timeout.toMillis() + 999) / 1000)));
        props.setProperty(
                "socketTimeout",
                String.valueOf(Math.max(1, timeout.plusSeconds(5).toSeconds())));
        props.setProperty("ApplicationName", "runbook");
        props.setProperty("stringtype", "unspecified");
        return DriverManager.getConnection(target.url(), props);
    }

    private static void cancel(PreparedStatement ps) {
        try {
            ps.cancel();
        } catch (SQLException ignored) {
            // the statement already ended
        }
    }

    private static Map<String, Object> run(PreparedStatement ps) throws SQLException {
        Map<String, Object> fields = ActionResult.newFields();
        List<Object> rows = new ArrayList<>();
        int count = 0;
        if (ps.execute()) {
            try (ResultSet rs = ps.getResultSet()) {
                ResultSetMetaData md = rs.getMetaData();
                int n = md.getColumnCount();
                while (rs.next()) {
                    count++;
                    if (rows.size() < MAX_ROWS) {
                        Map<String, Object> row = new java.util.LinkedHashMap<>();
                        for (int i = 1; i <= n; i++) {
                            row.put(md.getColumnLabel(i), value(rs, i, md.getColumnTypeName(i)));
                        }
                        rows.add(row);
                    }
                }
            }
            fields.put("rows", rows);
            fields.put("row_count", count);
        } else {
            fields.put("rows", rows);
            fields.put("row_count", 0);
            fields.put("updated", ps.getLargeUpdateCount());
        }
        return fields;
    }

    /** One column as a JSON-like value. */
    private static Object value(ResultSet rs, int i, String typeName) throws SQLException {
        String type = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        try {
            switch (type) {
                case "date": {
                    LocalDate d = rs.getObject(i, LocalDate.class);
                    return d == null ? null : d.toString();
                }
                case "time": {
                    LocalTime t = rs.getObject(i, LocalTime.class);
                    return t == null ? null : t.toString();
                }
                case "timetz": {
                    OffsetTime t = rs.getObject(i, OffsetTime.class);
                    return t == null ? null : t.toString();
                }
                case "timestamp": {
                    LocalDateTime t = rs.getObject(i, LocalDateTime.class);
                    if (LocalDateTime.MAX.equals(t) || LocalDateTime.MIN.equals(t)) {
                        return rs.getString(i); // infinity, -infinity: the server's words
                    }
                    return t == null ? null : t.toString();
                }
                case "timestamptz": {
                    OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                    if (OffsetDateTime.MAX.equals(t) || OffsetDateTime.MIN.equals(t)) {
                        return rs.getString(i); // infinity, -infinity: the server's words
                    }
                    return t == null ? null : t.toInstant().toString();
                }
                default:
                    break;
            }
        } catch (SQLException e) {
            return rs.getString(i); // infinity, out-of-range years: the server's text
        }
        return plain(rs.getObject(i));
    }

    private static Object plain(Object v) throws SQLException {
        if (v == null
                || v instanceof String
                || v instanceof Boolean
                || v instanceof Integer
                || v instanceof Long
                || v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? v : String.valueOf(d);
        }
        if (v instanceof UUID) {
            return v.toString();
        }
        if (v instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        if (v instanceof Array a) {
            Object arr = a.getArray();
            List<Object> out = new ArrayList<>();
            if (arr instanceof Object[] items) {
                for (Object item : items) {
                    out.add(plain(item));
                }
            }
            return out;
        }
        if (v instanceof PGobject o) {
            String t = o.getType() == null ? "" : o.getType();
            if ((t.equals("json") || t.equals("jsonb")) && o.getValue() != null) {
                try {
                    return JSON.readValue(o.getValue(), Object.class);
                } catch (java.io.IOException e) {
                    return o.getValue();
                }
            }
            return o.getValue();
        }
        if (v instanceof java.sql.Timestamp || v instanceof java.sql.Date || v instanceof java.sql.Time) {
            return v.toString();
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (v instanceof java.sql.SQLXML x) {
            return x.getString();
        }
        return String.valueOf(v);
    }

    private static List<String> check(ActionSpec.Sql spec, int rows) {
        List<String> problems = new ArrayList<>();
        if (spec.rowCount() != null && rows != spec.rowCount()) {
            problems.add("expected row_count " + spec.rowCount() + ", got " + rows);
        }
        if (spec.minRows() != null && rows < spec.minRows()) {
            problems.add("expected at least " + spec.minRows() + " rows (min_rows), got " + rows);
        }
        if (spec.maxRows() != null && rows > spec.maxRows()) {
            problems.add("expected at most " + spec.maxRows() + " rows (max_rows), got " + rows);
        }
        return problems;
    }

    /** True when the connection cannot be used any more (so the next step reconnects). */
    private static boolean broken(Connection conn, SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
            return true;
        }
        try {
            return conn.isClosed() || !conn.isValid(2);
        } catch (SQLException ex) {
            return true;
        }
    }

    /** {@code SQLSTATE 42P01: relation "x" does not exist}: one line, no stack trace. */
    static String describe(SQLException e) {
        String msg = e.getMessage();
        if (e instanceof PSQLException p) {
            ServerErrorMessage sem = p.getServerErrorMessage();
            if (sem != null && sem.getMessage() != null) {
                msg = sem.getMessage();
            }
        }
        String state = e.getSQLState();
        String line = HttpSupport.firstLine(msg);
        return state == null ? line : "SQLSTATE " + state + ": " + line;
    }
}
