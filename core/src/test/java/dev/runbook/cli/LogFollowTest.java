package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook log follow}: a run of another process, read event by event to its close. */
class LogFollowTest {

    @TempDir
    Path dir;

    private Process run(String steps) throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, "id: RB-FOLLOW\ntitle: Follow\nseverity: P2\nsteps:\n" + steps);
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "run",
                        rb.toString(),
                        "--yes",
                        "--log-dir",
                        dir.resolve("logs").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.out").toFile())
                .start();
    }

    private String waitForLog() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir.resolve("logs"))) {
                try (var files = Files.list(dir.resolve("logs"))) {
                    var log = files.filter(f -> f.toString().endsWith(".jsonl")).findFirst();
                    if (log.isPresent()) {
                        return log.get().getFileName().toString().replace(".jsonl", "");
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no log: " + Files.readString(dir.resolve("run.out")));
    }

    @Test
    void followReadsARunningIncidentToItsClose() throws Exception {
        Process p =
                run("  - id: first\n    wait: 1s\n  - id: second\n    wait: 1s\n  - id: third\n    shell: echo done\n");
        try {
            String id = waitForLog();
            CliRun f = CliRun.run(
                    "log", "follow", id, "--log-dir", dir.resolve("logs").toString());

            assertThat(f.code()).as(f.toString()).isZero();
            assertThat(f.out())
                    .contains(id + "  RB-FOLLOW (P2) Follow")
                    .contains("second")
                    .contains("third")
                    .contains("Incident closed: resolved");
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(f.out()
                            .lines()
                            .filter(l -> l.contains("Incident closed"))
                            .count())
                    .as("each event once")
                    .isEqualTo(1);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void followStopsWhenTheRunIsGoneWithoutClosing() throws Exception {
        Process p = run("  - id: long\n    wait: 60s\n");
        String id = waitForLog();
        Thread.sleep(500);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        CliRun f = CliRun.run(
                "log",
                "follow",
                id,
                "--gone-after",
                "500ms",
                "--log-dir",
                dir.resolve("logs").toString());
        assertThat(f.code()).as(f.toString()).isEqualTo(1);
        assertThat(f.out()).contains("no run holds this incident any more");
    }

    @Test
    void logShowFollowIsTheSameView() throws Exception {
        Process p = run("  - id: first\n    wait: 1s\n  - id: second\n    shell: echo done\n");
        try {
            String id = waitForLog();
            CliRun f = CliRun.run(
                    "log",
                    "show",
                    id,
                    "--follow",
                    "--log-dir",
                    dir.resolve("logs").toString());
            assertThat(f.code()).as(f.toString()).isZero();
            assertThat(f.out()).contains("second").contains("Incident closed: resolved");
        } finally {
            p.destroyForcibly();
        }
    }
}
