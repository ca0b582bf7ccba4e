package dev.runbook.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.EmbeddedPostgres;
import dev.runbook.testing.RunbookProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libpq's conventions (issue 12, item 5): the forms of a database URL, the PG* variables, the
 * password file and the service file, against the real PostgreSQL of the tests (SCRAM for role
 * {@code runbook}) in a real {@code runbook} process with its own environment.
 */
class LibpqTest {

    @TempDir
    Path dir;

    @Test
    void aLibpqUriBecomesAJdbcUrlWithTheUserAsAProperty() {
        Libpq.Connect c = Libpq.connect(
                "postgresql://ops@db1:5433,db2/app%20db?sslmode=verify-full&application_name=rb&connect_timeout=3",
                null, Map.of());
        assertThat(c.url())
                .isEqualTo("jdbc:postgresql://db1:5433,db2/app%20db?sslmode=verify-full&ApplicationName=rb"
                        + "&connectTimeout=3");
        assertThat(c.properties()).containsExactly(Map.entry("user", "ops"));
        assertThat(Libpq.connect("service=prod", "ignored-not", Map.of("PGHOST", "elsewhere"))
                        .url())
                .isEqualTo("jdbc:postgresql:///?service=prod");
    }

    @Test
    void whatTheUrlLeavesOutComesFromThePgVariables() {
        Map<String, String> env = Map.of(
                "PGHOST",
                "pg.internal",
                "PGPORT",
                "6432",
                "PGDATABASE",
                "ops",
                "PGUSER",
                "oncall",
                "PGSSLMODE",
                "verify-ca");
        Libpq.Connect c = Libpq.connect("postgresql://", null, env);
        assertThat(c.url()).isEqualTo("jdbc:postgresql://pg.internal:6432/ops");
        assertThat(c.properties()).containsEntry("user", "oncall").containsEntry("sslmode", "verify-ca");
        // what the URL or the inventory says wins
        Libpq.Connect given = Libpq.connect("jdbc:postgresql://h:1/d?sslmode=require", "me", env);
        assertThat(given.url()).isEqualTo("jdbc:postgresql://h:1/d?sslmode=require");
        assertThat(given.properties()).containsExactly(Map.entry("user", "me"));
        // PGPORT goes to every host of a list that has none, as libpq does
        assertThat(Libpq.connect("postgresql://a,[::1],b:5433/d", null, Map.of("PGPORT", "6432"))
                        .url())
                .isEqualTo("jdbc:postgresql://a:6432,[::1]:6432,b:5433/d");
        assertThat(Libpq.connect("postgresql:///x", null, Map.of("PGSERVICE", "s"))
                        .url())
                .isEqualTo("jdbc:postgresql:///x?service=s");
    }

    @Test
    void aPasswordInAUriIsRefusedWithoutBeingRepeated() {
        int tried = 0;
        for (String url : new String[] {
            "postgresql://ops:hunter2-pw@db/app",
            "postgres://db/app?password=hunter2-pw",
            "postgresql://db/app?sslpassword=hunter2-pw"
        }) {
            assertThat(Libpq.formProblem(url)).contains("a password in the URL").doesNotContain("hunter2");
            tried++;
        }
        assertThat(Libpq.formProblem("mysql://db/app")).contains("not a PostgreSQL URL");
        assertThat(Libpq.formProblem("service=a b")).contains("service=NAME");
        assertThat(tried).isEqualTo(3);
    }

    @Test
    void aServerThatIsNotLocalMustBeVerified() {
        assertThat(Libpq.unverifiedServer("jdbc:postgresql://db.example.com/app", Map.of()))
                .contains("server db.example.com is reached with sslmode prefer (the default)");
        assertThat(Libpq.unverifiedServer("postgresql://10.0.0.5/app?sslmode=require", Map.of()))
                .contains("sslmode require");
        assertThat(Libpq.unverifiedServer("postgresql://db.example.com/app?sslmode=verify-full", Map.of()))
                .isNull();
        assertThat(Libpq.unverifiedServer("jdbc:postgresql://db.example.com/app", Map.of("PGSSLMODE", "verify-ca")))
                .isNull();
        for (String local : new String[] {
            "jdbc:postgresql://127.0.0.1:5432/a",
            "postgresql://localhost/a",
            "postgresql://[::1]:5432/a",
            "jdbc:postgresql:app",
            "service=prod"
        }) {
            assertThat(Libpq.unverifiedServer(local, Map.of())).as(local).isNull();
        }
        assertThat(Libpq.unverifiedServer("postgresql://127.0.0.1,db2.example.com/a", Map.of()))
                .contains("server db2.example.com ");
    }

    /**
     * {@code validate}: a remote database without a verified server is a warning, and an error in
     * a protected environment; a URI with a password is an error that does not repeat it.
     */
    @Test
    void validateWarnsOfAnUnverifiedServerAndRefusesItWhereProtected() throws Exception {
        Files.writeString(dir.resolve("rb.yaml"), "id: RB-X\ntitle: t\nseverity: P3\nsteps: [{id: a, shell: echo}]\n");
        Path inv = dir.resolve("environments.yaml");
        Files.writeString(inv, """
                environments:
                  staging:
                    databases:
                      main: {url: 'postgresql://db.staging.example.com/app'}
                      local: {url: 'postgresql://127.0.0.1/app'}
                """);
        dev.runbook.testing.CliRun staging = dev.runbook.testing.CliRun.run("validate", dir.toString());
        assertThat(staging.code()).as(staging.toString()).isZero();
        assertThat(staging.out())
                .contains("✓ " + inv)
                .contains("  warning: " + inv + ":4:")
                .contains("server db.staging.example.com is reached with sslmode prefer (the default)")
                .doesNotContain("127.0.0.1");
        Files.writeString(inv, """
                environments:
                  prod:
                    protected: true
                    databases:
                      main: {url: 'postgresql://db.example.com/app?sslmode=require'}
                      leak: {url: 'postgresql://ops:hunter2-pw@db.example.com/app?sslmode=verify-full'}
                """);
        dev.runbook.testing.CliRun prod = dev.runbook.testing.CliRun.run("validate", dir.toString());
        assertThat(prod.code()).isEqualTo(1);
        assertThat(prod.out())
                .contains("✗ " + inv)
                .contains(inv + ":5:")
                .contains("(required: the environment is protected)")
                .contains(inv + ":6:")
                .contains("a password in the URL")
                .doesNotContain("hunter2");
    }

    /**
     * A runbook that declares {@code secrets: [PGPASSWORD]} runs without it when ~/.pgpass holds
     * the password; a URI, a service and the PG* variables each reach the real server as role
     * {@code runbook}. Without the password file, the same run is refused before step 1.
     */
    @Test
    void aRunReachesPostgresThroughTheUsersOwnSetUp() throws Exception {
        int port = EmbeddedPostgres.port();
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(
                pgpass,
                "127.0.0.1:" + port + ":*:" + EmbeddedPostgres.user() + ":" + EmbeddedPostgres.password() + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        Path services = dir.resolve("pg_service.conf");
        Files.writeString(
                services,
                "[rbtest]\nhost=127.0.0.1\nport=" + port + "\ndbname=postgres\nuser=" + EmbeddedPostgres.user() + "\n");
        Path inv = dir.resolve("environments.yaml");
        Files.writeString(inv, """
                environments:
                  local:
                    databases:
                      uri: {url: 'postgresql://%s@127.0.0.1:%d/postgres', password: '${secrets.PGPASSWORD}'}
                      svc: {url: 'service=rbtest', password: '${secrets.PGPASSWORD}'}
                      vars: {url: 'postgresql:///postgres'}
                """.formatted(EmbeddedPostgres.user(), port));
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, """
                id: RB-LIBPQ
                title: libpq
                severity: P3
                secrets: [PGPASSWORD]
                steps:
                  - id: by-uri
                    sql: {database: uri, query: "SELECT current_user AS u"}
                    check: steps.by-uri.rows[0].u == 'runbook'
                  - id: by-service
                    sql: {database: svc, query: "SELECT current_user AS u"}
                    check: steps.by-service.rows[0].u == 'runbook'
                  - id: by-variables
                    sql: {database: vars, query: "SELECT current_user AS u, inet_server_port() AS p"}
                    check: steps.by-variables.rows[0].u == 'runbook'
                """);
        Map<String, String> env = new HashMap<>(Map.of(
                "HOME", dir.toString(),
                "PGPASSFILE", pgpass.toString(),
                "PGSERVICEFILE", services.toString(),
                "PGHOST", "127.0.0.1",
                "PGPORT", String.valueOf(port),
                "PGUSER", EmbeddedPostgres.user()));
        String[] args = {
            "run",
            rb.toString(),
            "--env",
            "local",
            "--inventory",
            inv.toString(),
            "--yes",
            "--log-dir",
            dir.resolve("logs").toString()
        };
        String ok = run(env, "ok", args);
        assertThat(ok).contains("RESOLVED").doesNotContain(EmbeddedPostgres.password());

        env.put("PGPASSFILE", dir.resolve("no-such-file").toString());
        String refused = run(env, "refused", args);
        assertThat(refused).contains("secret PGPASSWORD is not set");
    }

    /**
     * The PG* variables are read from the invocation's environment, not from the JVM's: an
     * in-process run whose environment alone names the server reaches it, and the same
     * invocation's {@code PGSSLMODE} is what {@code validate} checks a protected database with.
     */
    @Test
    void theInvocationsEnvironmentIsTheOneLibpqConventionsReadFrom() throws Exception {
        int port = EmbeddedPostgres.port();
        Path inv = dir.resolve("environments.yaml");
        Files.writeString(inv, """
                environments:
                  local:
                    databases:
                      vars: {url: 'postgresql:///', password: '${secrets.PGPASSWORD}'}
                """);
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, """
                id: RB-ENV
                title: libpq from the invocation
                severity: P3
                secrets: [PGPASSWORD]
                steps:
                  - id: where
                    sql: {database: vars, query: "SELECT current_user AS u, current_database() AS d, inet_server_port() AS p"}
                    check: steps.where.rows[0].p == %d && steps.where.rows[0].d == 'postgres'
                """.formatted(port));
        dev.runbook.testing.CliRun ok = dev.runbook.testing.CliRun.with()
                .env("HOME", dir.toString())
                .env("PGHOST", "127.0.0.1")
                .env("PGPORT", String.valueOf(port))
                .env("PGUSER", EmbeddedPostgres.user())
                .env("PGDATABASE", "postgres")
                .env("PGPASSWORD", EmbeddedPostgres.password())
                .run(
                        "run",
                        rb.toString(),
                        "--env",
                        "local",
                        "--inventory",
                        inv.toString(),
                        "--yes",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("RESOLVED");

        Files.writeString(inv, """
                environments:
                  prod:
                    protected: true
                    databases:
                      main: {url: 'postgresql://db.example.com/app'}
                """);
        dev.runbook.testing.CliRun refused = dev.runbook.testing.CliRun.run("validate", inv.toString());
        assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.out()).contains("(required: the environment is protected)");
        dev.runbook.testing.CliRun verified = dev.runbook.testing.CliRun.with()
                .env("PGSSLMODE", "verify-full")
                .run("validate", inv.toString());
        assertThat(verified.code()).as(verified.toString()).isZero();
        assertThat(verified.out()).doesNotContain("sslmode");
    }

    private String run(Map<String, String> env, String name, String... args) throws Exception {
        Path out = dir.resolve(name + ".txt");
        Process p = RunbookProcess.start(dir.resolve(name), out, env, args);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isEqualTo(name.equals("ok") ? 0 : 2);
        return text;
    }
}
