package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A declared PGPASSWORD that the password file meets (issue 12, item 5; docs/format.md, "The
 * user's own PostgreSQL"): the start is not blocked when only database passwords read it and a
 * password file exists; anything else that reads it, or no password file, still needs it.
 */
class PasswordFileSecretTest {

    @TempDir
    Path dir;

    private CliRun run(String steps, String envExtra, boolean passfile) throws Exception {
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, "127.0.0.1:1:*:app:from-the-file\n");
        Path inv = dir.resolve("environments.yaml");
        Files.writeString(inv, """
                environments:
                  local:
                    databases:
                      main: {url: 'jdbc:postgresql://127.0.0.1:1/app', user: app, password: '${secrets.PGPASSWORD}'}
                %s""".formatted(envExtra));
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, "id: RB-PGPASS\ntitle: t\nseverity: P3\nsecrets: [PGPASSWORD]\nsteps:\n" + steps);
        return CliRun.with()
                .env(
                        "PGPASSFILE",
                        passfile ? pgpass.toString() : dir.resolve("none").toString())
                .env("HOME", dir.toString())
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
    }

    private static final String QUERY = "  - id: q\n    sql: SELECT 1\n    timeout: 5s\n";

    @Test
    void onlyADatabasePasswordReadingItStartsWithThePasswordFile() throws Exception {
        CliRun r = run(QUERY, "", true);
        // planned and started: the query then fails on the closed port, not on a missing secret
        assertThat(r.err() + r.out()).doesNotContain("secret PGPASSWORD is not set");
        assertThat(r.out()).contains("q");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
    }

    @Test
    void anythingElseThatReadsItStillNeedsIt() throws Exception {
        int tried = 0;
        String[][] cases = {
            {QUERY + "  - id: echo\n    shell: echo ${secrets.PGPASSWORD}\n", ""},
            {QUERY, "    vars: {dsn: 'x${secrets.PGPASSWORD}'}\n"},
            {QUERY, "    hosts:\n      web: {address: 127.0.0.1, password: '${secrets.PGPASSWORD}'}\n"},
            {QUERY, "    channels:\n      ic: {webhook: 'https://hooks.example.com/${secrets.PGPASSWORD}'}\n"},
        };
        for (String[] c : cases) {
            CliRun r = run(c[0], c[1], true);
            assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(r.toString()).contains("secret PGPASSWORD is not set");
            tried++;
        }
        CliRun noFile = run(QUERY, "", false);
        assertThat(noFile.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noFile.err()).contains("secret PGPASSWORD is not set");
        assertThat(tried).isEqualTo(4);
    }
}
