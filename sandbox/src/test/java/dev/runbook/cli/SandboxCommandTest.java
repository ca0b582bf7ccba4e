package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.console.Terminal;
import dev.runbook.sandbox.Sandbox;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.SandboxInventory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runbook sandbox status|fault} against a sandbox started by the test, and a root-less
 * {@code runbook run --env sandbox} reaching its SSH hosts (the emulator's answer to an unknown
 * command).
 */
class SandboxCommandTest {

    private static final int OFFSET = 300;
    private static Sandbox sandbox;
    private static String inventory;

    @TempDir
    static Path state;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        inventory = SandboxInventory.shifted(state, OFFSET).toString();
        sandbox = Sandbox.start(SandboxCommand.config(
                Path.of(inventory),
                Path.of("runbooks"),
                new Terminal(
                        new java.io.BufferedReader(new java.io.StringReader("")),
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(new StringWriter()),
                        false,
                        java.util.Map.of(),
                        false)));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void statusShowsWhatRunsAndFaultInjectsAndClears() {
        CliRun st = CliRun.run("sandbox", "--inventory", inventory, "status");
        assertThat(st.code()).as(st.toString()).isZero();
        assertThat(st.out())
                .contains("http://127.0.0.1:" + (18080 + OFFSET))
                .contains("backend online")
                .contains("127.0.0.1:" + (15432 + OFFSET))
                .contains("running")
                .contains("faults: none");

        CliRun inj = CliRun.run("sandbox", "--inventory", inventory, "fault", "api-down");
        assertThat(inj.code()).as(inj.toString()).isZero();
        assertThat(inj.out())
                .contains("injected api-down (fix: runbook RB-P1-001)")
                .contains("fault api-down: ACTIVE (runbook RB-P1-001)")
                .contains("backend stopped");
        assertThat(sandbox.httpStatus("GET", "/api/health")).isEqualTo(503);
        assertThat(sandbox.healthy()).isFalse();

        CliRun clr = CliRun.run("sandbox", "--inventory", inventory, "fault", "api-down", "--clear");
        assertThat(clr.code()).as(clr.toString()).isZero();
        assertThat(clr.out()).contains("cleared api-down").contains("faults: none");
        assertThat(sandbox.httpStatus("GET", "/api/health")).isEqualTo(200);
        assertThat(sandbox.healthy()).isTrue();
    }

    @Test
    void anUnknownFaultIsRefused() {
        CliRun r = CliRun.run("sandbox", "--inventory", inventory, "fault", "volcano");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown fault 'volcano'");
    }

    @Test
    void theRlsLeakLetsOneUserSeeAnothersRowsUntilCleared() {
        sandbox.inject("rls-leak");
        assertThat(sandbox.active("rls-leak")).isTrue();
        sandbox.clear("rls-leak");
        assertThat(sandbox.active("rls-leak")).isFalse();
        assertThat(sandbox.healthy()).isTrue();
    }

    @Test
    void anUnemulatedCommandOverSshExits127() throws Exception {
        Path rb = tmp.resolve("probe.yaml");
        Files.writeString(
                rb,
                String.join(
                        "\n",
                        "id: SANDBOX-PROBE",
                        "title: probe",
                        "severity: P4",
                        "steps:",
                        "  - id: status",
                        "    title: pm2 status",
                        "    ssh: {hosts: [akig-app1], command: pm2 status}",
                        "    timeout: 30s",
                        "  - id: unknown",
                        "    title: unknown command",
                        "    ssh: {hosts: [akig-app1], command: frobnicate --now}",
                        "    timeout: 30s",
                        ""));
        CliRun r = CliRun.run(
                "run",
                rb.toString(),
                "--env",
                "sandbox",
                "--yes",
                "--inventory",
                inventory,
                "--log-dir",
                tmp.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out())
                .as(r.toString())
                .contains("akig-backend  │ online")
                .contains("frobnicate: not emulated in sandbox")
                .contains("127");
    }

    @Test
    void withHealthyProvidersRbP2003EndsWithoutTheProviderDownResolution() {
        sandboxReset();
        CliRun r = CliRun.run(
                "run",
                "RB-P2-003",
                "--env",
                "sandbox",
                "--inventory",
                inventory,
                "--yes",
                "--log-dir",
                tmp.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("Providers OK")
                .doesNotContain("Attendre restore du provider")
                .contains("verified: every check of the verify section passed");
    }

    @Test
    void rollbackGitShaRefusesAnUnknownShaBeforeDispatch() {
        sandboxReset();
        sandbox.inject("bad-deploy");
        CliRun r = CliRun.with()
                .env("GITHUB_TOKEN", "sandbox-github-token")
                .run(
                        "run",
                        "ROLLBACK-GIT-SHA",
                        "--env",
                        "sandbox",
                        "--inventory",
                        inventory,
                        "--yes",
                        "--allow-dangerous",
                        "--var",
                        "stable_sha=0000000",
                        "--log-dir",
                        tmp.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("expected status 200, got 404").doesNotContain("3.2 Run workflow");
        assertThat(sandbox.active("bad-deploy")).as("nothing was dispatched").isTrue();
        assertThat(sandbox.services().ciRuns()).isEmpty();

        CliRun noSha = CliRun.with()
                .env("GITHUB_TOKEN", "sandbox-github-token")
                .run(
                        "run",
                        "ROLLBACK-GIT-SHA",
                        "--env",
                        "sandbox",
                        "--inventory",
                        inventory,
                        "--yes",
                        "--allow-dangerous",
                        "--log-dir",
                        tmp.resolve("logs").toString());
        assertThat(noSha.code())
                .as("no default SHA: an unattended run must be given one")
                .isNotZero();
        assertThat(sandbox.services().ciRuns()).isEmpty();
        sandbox.clear("bad-deploy");
    }

    @Test
    void aDrillKilledHalfWayIsResumedToPass() throws Exception {
        Path logs = tmp.resolve("drills");
        String jvm = ProcessHandle.current().info().command().orElse("java");
        Process drill = new ProcessBuilder(
                        jvm,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "drill",
                        "RB-P1-001",
                        "--fault",
                        "api-down",
                        "--attach",
                        "--inventory",
                        inventory,
                        "--log-dir",
                        logs.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("drill.out").toFile())
                .start();
        Path log = null;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
        try {
            while (log == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
                if (Files.isDirectory(logs)) {
                    try (var files = Files.list(logs)) {
                        Path f = files.filter(p -> p.toString().endsWith(".jsonl"))
                                .findFirst()
                                .orElse(null);
                        if (f != null && Files.readString(f).contains("\"step\":\"restart-backend\"")) {
                            log = f;
                        }
                    }
                }
            }
        } finally {
            drill.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(log).as(Files.readString(tmp.resolve("drill.out"))).isNotNull();
        assertThat(Files.readString(log)).doesNotContain("incident.closed");

        CliRun r = CliRun.run(
                "drill",
                "--resume",
                log.getFileName().toString().replace(".jsonl", ""),
                "--fault",
                "api-down",
                "--inventory",
                inventory,
                "--log-dir",
                logs.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("resumed from drill").contains("PASS RB-P1-001 (fault api-down)");
        assertThat(dev.runbook.journal.JournalVerifier.verify(log).ok()).isTrue();
        assertThat(Files.readString(log)).contains("\"type\":\"incident.resumed\"");
        assertThat(sandbox.healthy()).isTrue();
        sandboxReset();
    }

    private static void sandboxReset() {
        try {
            sandbox.reset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
