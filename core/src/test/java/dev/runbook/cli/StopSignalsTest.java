package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.EmbeddedPostgres;
import dev.runbook.testing.Events;
import dev.runbook.testing.SshServerFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGINT, SIGTERM and SIGHUP against a real {@code runbook run} process, while a shell, an ssh
 * or an sql step runs (contract, "Exit codes"): the exit code is 130, 143 or 129, the log is
 * closed {@code interrupted} with the open step finished, and nothing of the step remains: no
 * local process, no process on the SSH server's side, no statement in {@code pg_stat_activity}.
 */
class StopSignalsTest {

    @TempDir
    static Path shared;

    private static SshServerFixture ssh;
    private static final String SSH_PASSWORD = "pw-signals-" + System.nanoTime();

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() throws Exception {
        ssh = SshServerFixture.start(shared, 1);
        ssh.setPassword("deploy", SSH_PASSWORD);
    }

    @AfterAll
    static void stop() {
        ssh.close();
    }

    private static boolean gone(java.util.concurrent.Callable<Boolean> alive) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (!alive.call()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static boolean running(String pattern) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-f", pattern).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @ParameterizedTest(name = "SIG{0} during a {1} step")
    @CsvSource({
        "INT,shell,130",
        "TERM,shell,143",
        "HUP,shell,129",
        "INT,ssh,130",
        "TERM,ssh,143",
        "HUP,ssh,129",
        "INT,sql,130",
        "TERM,sql,143",
        "HUP,sql,129"
    })
    void aStopSignalStopsTheStepClosesTheLogAndLeavesNothingRunning(String signal, String kind, int code)
            throws Exception {
        String tag = "4.7" + (System.nanoTime() % 100000);
        String started = "started-" + tag;
        String step = switch (kind) {
            case "shell" -> "    shell: sleep 6" + tag + " & echo " + started + "; wait\n";
            case "ssh" -> "    ssh: {hosts: [web1], command: 'sleep 6" + tag + " & echo " + started + "; wait'}\n";
            default -> "    sql: SELECT pg_sleep(60), '" + started + "' AS tag\n";
        };
        Files.writeString(dir.resolve("environments.yaml"), """
                environments:
                  test:
                    vars: {}
                    databases:
                      main: {url: '%s', user: '%s', password: '${secrets.PGPASSWORD}'}
                    hosts:
                      web1: {address: 127.0.0.1, port: %d, user: deploy, password: '${secrets.SSH_PASSWORD}',
                             known_hosts: '%s'}
                """.formatted(
                        EmbeddedPostgres.jdbcUrl("postgres"),
                        EmbeddedPostgres.user(),
                        ssh.port(0),
                        ssh.writeKnownHosts(dir.resolve("known_hosts"))));
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(
                rb,
                "id: RB-SIGNAL\ntitle: Signals\nseverity: P1\nsteps:\n  - id: long\n" + step
                        + "  - id: never\n    shell: echo never\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "run",
                        rb.toString(),
                        "--yes",
                        "--env",
                        "test",
                        "--no-color",
                        "--log-dir",
                        dir.resolve("logs").toString())
                .redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", EmbeddedPostgres.password());
        pb.environment().put("SSH_PASSWORD", SSH_PASSWORD);
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Thread signaller = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                boolean ready = kind.equals("sql")
                        ? line.contains("sql SELECT pg_sleep")
                        : line.contains("│") && line.endsWith(started);
                if (ready && signaller == null) {
                    signaller = new Thread(() -> {
                        try {
                            if (kind.equals("sql")) {
                                gone(() -> !statementRunning(started));
                            }
                            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                                    .start()
                                    .waitFor();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    signaller.start();
                }
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(out.toString()).isTrue();
        assertThat(p.exitValue()).as(out.toString()).isEqualTo(code);
        assertThat(out.toString()).contains("INTERRUPTED").doesNotContain("Exception");

        Path log = CliRun.onlyLog(dir.resolve("logs"));
        assertThat(JournalVerifier.verify(log).ok()).isTrue();
        Events e = Events.of(log);
        assertThat(e.outcome()).isEqualTo("interrupted");
        List<Map<String, Object>> finished = e.ofType("step.finished");
        String label = signal.equals("INT") ? "Ctrl-C" : "SIG" + signal;
        assertThat(finished)
                .singleElement()
                .satisfies(f -> assertThat(f)
                        .containsEntry("step", "long")
                        .containsEntry("status", "failed")
                        .containsEntry("error", "interrupted (" + label + ")"));
        if (kind.equals("sql")) {
            assertThat(gone(() -> statementRunning(started)))
                    .as("the statement is cancelled")
                    .isTrue();
        } else {
            assertThat(gone(() -> running("sleep 6" + tag)))
                    .as("no process of the step remains (%s)", kind)
                    .isTrue();
        }
    }

    private static boolean statementRunning(String tag) throws Exception {
        try (Connection c = EmbeddedPostgres.connect("postgres");
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%'"
                                + " AND query NOT LIKE '%pg_stat_activity%' AND state = 'active'")) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }
}
