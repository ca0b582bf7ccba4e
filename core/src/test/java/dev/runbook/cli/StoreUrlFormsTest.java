package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import dev.runbook.testing.EmbeddedPostgres;
import dev.runbook.testing.RunbookProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team store's {@code url} in the forms of a database's (docs/team.md; issue 12, item 5): a
 * libpq URI, what the URL leaves out from the {@code PG*} variables, and {@code service=NAME}
 * with the password from the password file, each on the real PostgreSQL.
 */
class StoreUrlFormsTest {

    @TempDir
    Path dir;

    private Path inventory(String store) throws Exception {
        Path inv = dir.resolve("environments.yaml");
        Files.writeString(inv, "store:\n" + store + "environments:\n  staging:\n    vars: {name: staging}\n");
        return inv;
    }

    private CliRun.Builder cli() {
        return CliRun.with()
                .env("STORE_PASSWORD", EmbeddedPostgres.password())
                .env("XDG_CACHE_HOME", dir.resolve("cache").toString())
                .env("XDG_STATE_HOME", dir.resolve("state").toString());
    }

    @Test
    void aLibpqUriStoreHoldsTheIncidents() throws Exception {
        String db = EmbeddedPostgres.createDatabase("store_uri");
        Path inv = inventory("""
                  url: postgresql://%s@127.0.0.1:%d/%s?application_name=rbtest
                  password: ${secrets.STORE_PASSWORD}
                """.formatted(EmbeddedPostgres.user(), EmbeddedPostgres.port(), db));
        CliRun init = cli().run("store", "init", "--inventory", inv.toString());
        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(init.out()).contains("schema runbook migrated from nothing to version 1");

        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, "id: RB-URI\ntitle: t\nseverity: P3\nsteps:\n  - id: a\n    shell: echo stored\n");
        CliRun run = cli().run(
                        "run",
                        rb.toString(),
                        "--inventory",
                        inv.toString(),
                        "--yes",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(run.code()).as(run.toString()).isZero();
        CliRun list = cli().run("log", "list", "--store", "--inventory", inv.toString());
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).contains("RB-URI").contains("resolved");
    }

    @Test
    void whatTheStoreUrlLeavesOutComesFromThePgVariables() throws Exception {
        String db = EmbeddedPostgres.createDatabase("store_env");
        Path inv = inventory("  url: 'postgresql:///'\n  password: ${secrets.STORE_PASSWORD}\n");
        CliRun init = cli().env("PGHOST", "127.0.0.1")
                .env("PGPORT", String.valueOf(EmbeddedPostgres.port()))
                .env("PGUSER", EmbeddedPostgres.user())
                .env("PGDATABASE", db)
                .run("store", "init", "--inventory", inv.toString());
        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(init.out()).contains("schema runbook migrated from nothing to version 1");
        try (var c = EmbeddedPostgres.connect(db);
                var rs = c.createStatement().executeQuery("SELECT count(*) FROM runbook.flyway_schema_history")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isPositive();
        }
        // without the variables the same URL reaches no store: one line, exit 1
        CliRun none = cli().env("PGPORT", "1").run("store", "init", "--inventory", inv.toString());
        assertThat(none.code()).as(none.toString()).isNotZero();
        assertThat(none.err()).doesNotContain("\tat ").doesNotContain(EmbeddedPostgres.password());
    }

    /** The driver reads the service file and the password file itself: a real process with its own environment. */
    @Test
    void aServiceStoreWithThePasswordFile() throws Exception {
        String db = EmbeddedPostgres.createDatabase("store_svc");
        Path services = dir.resolve("pg_service.conf");
        Files.writeString(
                services,
                "[incidents]\nhost=127.0.0.1\nport=" + EmbeddedPostgres.port() + "\ndbname=" + db + "\nuser="
                        + EmbeddedPostgres.user() + "\n");
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(
                pgpass,
                "127.0.0.1:" + EmbeddedPostgres.port() + ":*:" + EmbeddedPostgres.user() + ":"
                        + EmbeddedPostgres.password() + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        Path inv = inventory("  url: 'service=incidents'\n");
        Path out = dir.resolve("init.txt");
        Process p = RunbookProcess.start(
                dir.resolve("cwd"),
                out,
                Map.of(
                        "HOME", dir.toString(),
                        "PGSERVICEFILE", services.toString(),
                        "PGPASSFILE", pgpass.toString()),
                "store",
                "init",
                "--inventory",
                inv.toString());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).contains("store service=incidents: schema runbook migrated from nothing to version 1");
    }
}
