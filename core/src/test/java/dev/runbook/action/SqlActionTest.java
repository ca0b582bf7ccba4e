package dev.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.Inventory;
import dev.runbook.testing.EmbeddedPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link SqlAction} against a real (embedded) PostgreSQL. */
class SqlActionTest {

    private static String db;

    private final SqlAction action = new SqlAction();
    private final Contexts c = new Contexts();

    @BeforeAll
    static void createSchema() throws Exception {
        db = EmbeddedPostgres.createDatabase("sql_action");
        try (Connection conn = EmbeddedPostgres.connect(db);
                Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, active boolean, "
                    + "score numeric(5,2), ratio double precision, born date, seen timestamptz, tags text[], "
                    + "meta jsonb, nick text)");
            st.execute("INSERT INTO users VALUES "
                    + "(1, 'alice', true, 12.50, 0.5, '1990-04-01', '2026-11-21 10:23:45.123+00', "
                    + "'{a,b}', '{\"role\": \"admin\", \"level\": 3}', NULL), "
                    + "(2, 'bob', false, 7.00, 1.25, '1985-12-31', '2026-11-21 11:00:00+01', '{}', '[]', 'b'), "
                    + "(3, 'carol', true, 0.00, 0, '2000-01-01', '2026-01-01 00:00:00+00', NULL, NULL, 'c')");
        }
    }

    @AfterEach
    void closeConnections() {
        c.resources.close();
    }

    private Contexts withDatabase(String password) {
        Map<String, Inventory.Database> dbs = new LinkedHashMap<>();
        dbs.put(
                "main",
                new Inventory.Database(
                        "main", EmbeddedPostgres.jdbcUrl(db), EmbeddedPostgres.user(), "${secrets.PGPASSWORD}"));
        dbs.put(
                "other",
                new Inventory.Database(
                        "other", EmbeddedPostgres.jdbcUrl(db), EmbeddedPostgres.user(), "${secrets.PGPASSWORD}"));
        c.environment = new Inventory.Environment("sandbox", false, Map.of(), dbs, Map.of(), Map.of(), List.of());
        c.secret("PGPASSWORD", password);
        return c;
    }

    private Contexts ctx() {
        return withDatabase(EmbeddedPostgres.password());
    }

    private static ActionSpec.Sql sql(String query) {
        return new ActionSpec.Sql(query, null, null, null, null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(ActionResult r) {
        return (List<Map<String, Object>>) r.fields().get("rows");
    }

    @Test
    void selectGivesRowsAsJsonLikeValues() throws Exception {
        ActionResult r = action.execute(
                sql("SELECT id, name AS who, active, score, ratio, born, seen, tags, meta, nick "
                        + "FROM users ORDER BY id"),
                ctx().build());

        assertThat(r.error()).isNull();
        assertThat(r.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(r.fields()).containsEntry("row_count", 3).doesNotContainKey("updated");
        Map<String, Object> alice = rows(r).get(0);
        assertThat(alice)
                .containsEntry("id", 1)
                .containsEntry("who", "alice")
                .containsEntry("active", true)
                .containsEntry("score", new BigDecimal("12.50"))
                .containsEntry("ratio", 0.5)
                .containsEntry("born", "1990-04-01")
                .containsEntry("seen", "2026-11-21T10:23:45.123Z")
                .containsEntry("tags", List.of("a", "b"))
                .containsEntry("nick", null)
                .containsEntry("meta", Map.of("role", "admin", "level", 3));
        assertThat(rows(r).get(1))
                .containsEntry("seen", "2026-11-21T10:00:00Z")
                .containsEntry("meta", List.of())
                .containsEntry("tags", List.of());
        assertThat(rows(r).get(2)).containsEntry("tags", null).containsEntry("meta", null);
    }

    @Test
    void templateValuesAreBoundAsParameters() throws Exception {
        Contexts cx = ctx().input("id", "2");
        ActionSpec.Sql spec = sql("SELECT name FROM users WHERE id = ${inputs.id}");

        ActionResult r = action.execute(spec, cx.build());

        assertThat(r.error()).isNull();
        assertThat(rows(r)).containsExactly(Map.of("name", "bob"));
        assertThat(action.target(spec, cx.renderer(), null))
                .isEqualTo("SELECT name FROM users WHERE id = ?  -- params: [\"2\"] @ default");
    }

    @Test
    void anUpdateReportsItsUpdateCount() throws Exception {
        try (Connection conn = EmbeddedPostgres.connect(db);
                Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE flags (name text PRIMARY KEY, on_off boolean)");
            st.execute("INSERT INTO flags VALUES ('maintenance', false), ('readonly', false), ('debug', true)");
        }
        Contexts cx = ctx().input("v", true);

        ActionResult r = action.execute(sql("UPDATE flags SET on_off = ${inputs.v} WHERE on_off = false"), cx.build());

        assertThat(r.error()).isNull();
        assertThat(r.fields())
                .containsEntry("updated", 2L)
                .containsEntry("row_count", 0)
                .containsEntry("rows", List.of());
        try (Connection conn = EmbeddedPostgres.connect(db);
                ResultSet rs = conn.createStatement().executeQuery("SELECT count(*) FROM flags WHERE on_off")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void rowCountMinAndMaxExpectations() throws Exception {
        ActionContext cx = ctx().build();
        String q = "SELECT id FROM users";

        ActionResult exact = action.execute(new ActionSpec.Sql(q, null, 5, null, null), cx);
        ActionResult min = action.execute(new ActionSpec.Sql(q, null, null, 4, null), cx);
        ActionResult max = action.execute(new ActionSpec.Sql(q, null, null, null, 1), cx);
        ActionResult fine = action.execute(new ActionSpec.Sql(q, null, 3, 1, 3), cx);

        assertThat(exact.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(exact.error()).isEqualTo("expected row_count 5, got 3");
        assertThat(exact.fields()).containsEntry("row_count", 3);
        assertThat(min.error()).isEqualTo("expected at least 4 rows (min_rows), got 3");
        assertThat(max.error()).isEqualTo("expected at most 1 rows (max_rows), got 3");
        assertThat(fine.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
    }

    @Test
    void anInjectionAttemptIsOnlyAParameter() throws Exception {
        Contexts cx = ctx().input("name", "'; DROP TABLE users; --");

        ActionSpec.Sql spec = sql("SELECT * FROM users WHERE name = ${inputs.name}");

        ActionResult r = action.execute(spec, cx.build());

        assertThat(r.error()).isNull();
        assertThat(r.fields()).containsEntry("row_count", 0);
        assertThat(action.target(spec, cx.renderer(), null))
                .isEqualTo("SELECT * FROM users WHERE name = ?  -- params: [\"'; DROP TABLE users; --\"] @ default");
        try (Connection conn = EmbeddedPostgres.connect(db);
                ResultSet rs = conn.createStatement().executeQuery("SELECT count(*) FROM users")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void sqlErrorsFailWithOneLineAndTheirSqlState() throws Exception {
        ActionContext cx = ctx().build();

        ActionResult syntax = action.execute(sql("SELEC 1"), cx);
        ActionResult missing = action.execute(sql("SELECT * FROM nope"), cx);

        assertThat(syntax.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(syntax.error()).isEqualTo("SQLSTATE 42601: syntax error at or near \"SELEC\"");
        assertThat(missing.error()).isEqualTo("SQLSTATE 42P01: relation \"nope\" does not exist");
    }

    @Test
    void aQueryPastTheTimeoutTimesOut() throws Exception {
        ActionResult r = action.execute(
                sql("SELECT pg_sleep(5)"), ctx().timeout(Duration.ofSeconds(1)).build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.TIMED_OUT);
        assertThat(r.error()).contains("57014");
    }

    @Test
    void oneConnectionPerDatabaseIsReusedAndABrokenOneReplaced() throws Exception {
        ActionContext cx = ctx().build();
        ActionSpec.Sql pid = sql("SELECT pg_backend_pid() AS pid, current_setting('application_name') AS app");

        ActionResult first = action.execute(pid, cx);
        ActionResult second = action.execute(pid, cx);
        ActionResult other = action.execute(new ActionSpec.Sql(pid.query(), "other", null, null, null), cx);
        ActionResult killed = action.execute(sql("SELECT pg_terminate_backend(pg_backend_pid())"), cx);
        ActionResult after = action.execute(pid, cx);

        Object backend = rows(first).get(0).get("pid");
        assertThat(rows(first).get(0)).containsEntry("app", "runbook");
        assertThat(rows(second).get(0).get("pid")).isEqualTo(backend);
        assertThat(rows(other).get(0).get("pid")).isNotEqualTo(backend);
        assertThat(killed.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(killed.error()).startsWith("SQLSTATE 57P01");
        assertThat(after.error()).isNull();
        assertThat(rows(after).get(0).get("pid")).isNotEqualTo(backend);
    }

    @Test
    void aKeptConnectionEndedBetweenStepsIsReplacedBeforeUse() throws Exception {
        ActionContext cx = ctx().build();
        ActionSpec.Sql pid = sql("SELECT pg_backend_pid() AS pid");
        Object backend = rows(action.execute(pid, cx)).get(0).get("pid");

        // another session ends it, as DROP DATABASE … WITH (FORCE) of a supabase db reset does
        try (Connection admin = EmbeddedPostgres.connect(db);
                Statement st = admin.createStatement()) {
            st.execute("SELECT pg_terminate_backend(" + backend + ")");
        }
        ActionResult after = action.execute(pid, cx);

        assertThat(after.error()).isNull();
        assertThat(rows(after).get(0).get("pid")).isNotEqualTo(backend);
    }

    @Test
    void anUnknownDatabaseOrNoEnvironmentFails() throws Exception {
        ActionResult unknown =
                action.execute(new ActionSpec.Sql("SELECT 1", "reporting", null, null, null), ctx().build());
        ActionResult noEnv = action.execute(sql("SELECT 1"), new Contexts().build());

        assertThat(unknown.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(unknown.error())
                .isEqualTo("unknown database 'reporting' in environment 'sandbox' (databases: main, other)");
        assertThat(noEnv.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(noEnv.error()).isEqualTo("sql step 'step-id' needs an environment with a database (--env NAME)");
    }

    @Test
    void aWrongPasswordFailsWithAClearMessage() throws Exception {
        ActionResult r =
                action.execute(sql("SELECT 1"), withDatabase("not-the-password").build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error())
                .startsWith("cannot connect to database 'main' (" + EmbeddedPostgres.jdbcUrl(db) + "): ")
                .contains("SQLSTATE 28P01")
                .contains("password authentication failed for user \"" + EmbeddedPostgres.user() + "\"")
                .doesNotContain("\n")
                .doesNotContain("not-the-password");
    }

    @Test
    void cancellationStopsTheQueryAndRethrows() throws Exception {
        Contexts cx = ctx().timeout(Duration.ofSeconds(60));
        ActionContext actx = cx.build();
        action.execute(sql("SELECT 1"), actx); // connect first
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                action.execute(sql("SELECT pg_sleep(30)"), actx);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        awaitActiveSleep();
        cx.cancellation.cancel();
        t.interrupt();
        t.join(10_000);

        assertThat(t.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    /** Waits (at most 10 s) until a pg_sleep runs on the server. */
    private static void awaitActiveSleep() throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        try (Connection conn = EmbeddedPostgres.connect(db)) {
            while (System.nanoTime() < end) {
                try (ResultSet rs = conn.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_stat_activity "
                                + "WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(30)%'")) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("pg_sleep never started");
    }

    @Test
    void everyColumnTypeBecomesAJsonLikeValue() throws Exception {
        ActionResult r = action.execute(
                sql("SELECT '12:34:56'::time AS t, '12:34:56+02'::timetz AS tz, '2026-01-01 10:00'::timestamp AS ts,"
                        + " '\\xdeadbeef'::bytea AS b, '6f1c9a3e-0000-4000-8000-000000000001'::uuid AS u,"
                        + " 7::smallint AS s, 'NaN'::float8 AS nan, 1.5::real AS r, '{\"a\": [1, 2]}'::json AS j,"
                        + " ARRAY[1, 2] AS arr, '<a/>'::xml AS x, 'infinity'::timestamp AS inf,"
                        + " 12345678901234567890::numeric AS big, '1 day'::interval AS iv, 'NaN'::float4 AS fnan"),
                ctx().build());

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        Map<String, Object> row = rows(r).get(0);
        assertThat(row)
                .containsEntry("t", "12:34:56")
                .containsEntry("tz", "12:34:56+02:00")
                .containsEntry("ts", "2026-01-01T10:00")
                .containsEntry("b", "\\xdeadbeef")
                .containsEntry("u", "6f1c9a3e-0000-4000-8000-000000000001")
                .containsEntry("s", 7)
                .containsEntry("nan", "NaN")
                .containsEntry("x", "<a/>")
                .containsEntry("inf", "infinity")
                .containsEntry("iv", "1 days");
        assertThat(row.get("j")).isEqualTo(Map.of("a", List.of(1, 2)));
        assertThat(row.get("arr")).isEqualTo(List.of(1, 2));
        assertThat(String.valueOf(row.get("big"))).isEqualTo("12345678901234567890");
    }

    @Test
    void anEnvironmentWithoutDatabasesSaysSo() throws Exception {
        c.environment = new Inventory.Environment("bare", false, Map.of(), Map.of(), Map.of(), Map.of(), List.of());
        ActionResult r = action.execute(sql("SELECT 1"), c.build());
        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).isEqualTo("environment 'bare' has no database");
    }

    @Test
    void aConnectionRefusedNamesTheDatabaseWithoutItsPassword() throws Exception {
        Map<String, Inventory.Database> dbs = Map.of(
                "down",
                new Inventory.Database("down", "jdbc:postgresql://127.0.0.1:1/x?password=hunter2-in-url", "u", null));
        c.environment = new Inventory.Environment("e", false, Map.of(), dbs, Map.of(), Map.of(), List.of());
        ActionResult r = action.execute(sql("SELECT 1"), c.build());
        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).contains("cannot connect to database 'down'").doesNotContain("hunter2-in-url");
        assertThat(r.error()).contains("password=****");
    }

    /** A server that accepts the connection and never answers: login must end at the step's timeout. */
    @Test
    void aServerThatNeverAnswersEndsAtTheStepTimeoutNotTheDriversDefault() throws Exception {
        try (java.net.ServerSocket silent =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        silent.accept(); // kept open, never read or written
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, Inventory.Database> dbs = Map.of(
                    "mute",
                    new Inventory.Database(
                            "mute", "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/x", "u", null));
            c.environment = new Inventory.Environment("e", false, Map.of(), dbs, Map.of(), Map.of(), List.of());
            c.timeout(java.time.Duration.ofSeconds(2));
            long t0 = System.nanoTime();

            ActionResult r = action.execute(sql("SELECT 1"), c.build());

            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
            assertThat(r.error()).contains("cannot connect to database 'mute'");
            assertThat(ms)
                    .as("ended by loginTimeout (2 s), not the driver's defaults")
                    .isBetween(1500L, 6000L);
        }
    }
}
