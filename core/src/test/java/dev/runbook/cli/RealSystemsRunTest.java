package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.EmbeddedPostgres;
import dev.runbook.testing.Events;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook run} against a real HTTP server and a real PostgreSQL on loopback. */
class RealSystemsRunTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger healthCalls = new AtomicInteger();
    private volatile boolean healthy;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/health", ex -> {
            healthCalls.incrementAndGet();
            byte[] body = (healthy ? "{\"status\":\"ok\",\"db\":\"up\"}" : "{\"status\":\"down\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(healthy ? 200 : 503, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/admin/restart", ex -> {
            healthy = true;
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String api() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void inventory(String database) throws IOException {
        Files.writeString(dir.resolve("environments.yaml"), """
                environments:
                  local:
                    vars: {api_url: '%s'}
                    databases:
                      main: {url: '%s', user: '%s', password: '${secrets.PGPASSWORD}'}
                """.formatted(
                        api(), EmbeddedPostgres.jdbcUrl(database), EmbeddedPostgres.user()));
    }

    private Events events() throws IOException {
        Path log = CliRun.onlyLog(dir.resolve("logs"));
        assertThat(JournalVerifier.verify(log).ok()).isTrue();
        return Events.of(log);
    }

    @Test
    void aFailingHealthCheckBranchesToARestartThenPasses() throws IOException {
        inventory("postgres");
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, """
                id: RB-HEALTH
                title: Health
                severity: P1
                steps:
                  - id: health
                    http: ${env.api_url}/api/health
                    on_failure: restart
                  - id: healthy-already
                    notify: nothing to do
                    on_success: end
                  - id: restart
                    http: {method: POST, url: '${env.api_url}/admin/restart'}
                    when: steps.health.status != 200
                  - id: health-again
                    http: ${env.api_url}/api/health
                    expect: {status: 200, json: {/db: up}}
                    retry: {attempts: 3, delay: 50ms, until: "steps.health-again.json.status == 'ok'"}
                """);
        CliRun r = CliRun.with()
                .env("PGPASSWORD", EmbeddedPostgres.password())
                .run(
                        "run",
                        rb.toString(),
                        "--env",
                        "local",
                        "--yes",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        Events e = events();
        assertThat(e.finishedSteps()).containsExactly("health:failed", "restart:succeeded", "health-again:succeeded");
        assertThat(e.ofType("step.finished").get(0).get("error").toString()).contains("503");
        assertThat(e.ofType("step.started").get(0)).containsEntry("target", "GET " + api() + "/api/health");
        assertThat(healthCalls.get()).isEqualTo(2);
    }

    @Test
    void sqlStepsBindTemplatesAndReuseOneConnection() throws Exception {
        String db = EmbeddedPostgres.createDatabase("run");
        try (Connection c = EmbeddedPostgres.connect(db)) {
            c.createStatement().execute("CREATE TABLE users (id int primary key, email text, token text)");
            c.createStatement().execute("INSERT INTO users VALUES (1, 'a@x.io', null), (2, 'b@x.io', 't')");
        }
        inventory(db);
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, """
                id: RB-SQL
                title: SQL
                severity: P1
                secrets: [PGPASSWORD]
                inputs:
                  email: {default: a@x.io}
                steps:
                  - id: null-tokens
                    sql: SELECT COUNT(*) AS n FROM users WHERE token IS NULL
                    check: steps.null-tokens.rows[0].n == 1
                  - id: by-email
                    sql: SELECT id, pg_backend_pid() AS pid FROM users WHERE email = ${inputs.email}
                    expect: {row_count: 1}
                  - id: same-connection
                    sql: SELECT pg_backend_pid() AS pid
                    check: steps.same-connection.rows[0].pid == steps.by-email.rows[0].pid
                  - id: update
                    sql: {query: "UPDATE users SET token = 'new' WHERE id = ${steps.by-email.rows[0].id}", database: main}
                """);
        String evil = "a@x.io' OR '1'='1";
        CliRun r = CliRun.with()
                .env("PGPASSWORD", EmbeddedPostgres.password())
                .run(
                        "run",
                        rb.toString(),
                        "--env",
                        "local",
                        "--yes",
                        "--var",
                        "email=" + evil,
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        Events e = events();
        assertThat(e.finishedSteps()).containsExactly("null-tokens:succeeded", "by-email:failed");
        assertThat(e.ofType("step.finished").get(1).get("error").toString()).contains("row_count");
        assertThat(e.ofType("step.started").get(1).get("target").toString())
                .contains("email = ?")
                .contains(evil);
        assertThat(Files.readString(CliRun.onlyLog(dir.resolve("logs")))).doesNotContain(EmbeddedPostgres.password());

        Files.delete(CliRun.onlyLog(dir.resolve("logs")));
        CliRun ok = CliRun.with()
                .env("PGPASSWORD", EmbeddedPostgres.password())
                .run(
                        "run",
                        rb.toString(),
                        "--env",
                        "local",
                        "--yes",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(events().finishedSteps())
                .containsExactly(
                        "null-tokens:succeeded", "by-email:succeeded", "same-connection:succeeded", "update:succeeded");
        try (Connection c = EmbeddedPostgres.connect(db);
                ResultSet rs = c.createStatement().executeQuery("SELECT token FROM users WHERE id = 1")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("new");
        } catch (SQLException ex) {
            throw new AssertionError(ex);
        }
    }

    @Test
    void aDeadDatabaseIsAOneLineStepFailureNotAStackTrace() throws IOException {
        Files.writeString(dir.resolve("environments.yaml"), """
                environments:
                  local:
                    databases:
                      main: {url: 'jdbc:postgresql://127.0.0.1:1/none', user: x, password: y}
                """);
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, "id: RB-DEAD\ntitle: T\nseverity: P1\nsteps: [{id: q, sql: SELECT 1, timeout: 5s}]\n");
        CliRun r = CliRun.with()
                .run(
                        "run",
                        rb.toString(),
                        "--env",
                        "local",
                        "--yes",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out() + r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(events().ofType("step.finished").get(0).get("error").toString())
                .isNotBlank();
    }
}
