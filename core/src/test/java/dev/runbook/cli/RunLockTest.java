package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.JournalVerifier;
import dev.runbook.lock.RunLock;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One responder at a time (issue 10, item 2), with a real second process holding the lock: the
 * second run exits 2 naming the holder, a dry-run is not blocked, a SIGKILL of the holder frees the
 * lock, and {@code --steal-lock} takes it and says from whom in the log.
 */
class RunLockTest {

    @TempDir
    Path dir;

    private Path runbook(String id) throws Exception {
        Path rb = dir.resolve(id + ".yaml");
        Files.writeString(rb, "id: " + id + "\ntitle: Lock\nseverity: P2\nsteps:\n  - id: long\n    wait: 60s\n");
        return rb;
    }

    /** Starts a run of the runbook in another JVM and waits until its lock names its incident. */
    private Process holder(Path rb, Path logs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "run",
                        rb.toString(),
                        "--yes",
                        "--operator",
                        "alice",
                        "--log-dir",
                        logs.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("holder.out").toFile())
                .start();
        Path lock =
                logs.resolve(RunLock.DIR).resolve(rb.getFileName().toString().replace(".yaml", "") + "@none.lock");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(lock) && Files.readString(lock).contains("\"incident\":\"")) {
                return p;
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("the holder never took the lock: " + Files.readString(dir.resolve("holder.out")));
    }

    @Test
    void aSecondRunIsRefusedNamingTheHolderUntilTheHolderDies() throws Exception {
        Path rb = runbook("RB-LOCK");
        Path logs = dir.resolve("logs");
        Process p = holder(rb, logs);
        try {
            CliRun second =
                    CliRun.run("run", rb.toString(), "--yes", "--operator", "bob", "--log-dir", logs.toString());
            assertThat(second.code()).as(second.toString()).isEqualTo(2);
            assertThat(second.err())
                    .contains("RB-LOCK on none is held by incident ")
                    .contains("(operator alice on host ")
                    .contains("pid " + p.pid())
                    .contains("--steal-lock");
            assertThat(second.err().lines().count()).as("one line").isEqualTo(1);

            CliRun list = CliRun.run("log", "list", "--log-dir", logs.toString());
            assertThat(list.out())
                    .as("the held incident is running, not unfinished")
                    .containsPattern("RB-LOCK .* running ");

            CliRun dry = CliRun.run("run", rb.toString(), "--dry-run", "--log-dir", logs.toString());
            assertThat(dry.code()).as("a dry-run takes no lock: " + dry).isZero();
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // SIGKILL: the operating system released the lock; the stale file does not block
        Path quick = dir.resolve("quick.yaml");
        Files.writeString(quick, Files.readString(rb).replace("wait: 60s", "wait: 10ms"));
        Files.move(quick, rb, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CliRun third = CliRun.run("run", rb.toString(), "--yes", "--operator", "bob", "--log-dir", logs.toString());
        assertThat(third.code()).as(third.toString()).isZero();
        assertThat(logs.resolve(RunLock.DIR).resolve("RB-LOCK@none.lock"))
                .as("released and removed at the end of the run")
                .doesNotExist();
    }

    @Test
    void stealingTheLockIsRecordedWithWhomItWasTakenFrom() throws Exception {
        Path rb = runbook("RB-STEAL");
        Path logs = dir.resolve("logs");
        Process p = holder(rb, logs);
        try {
            Path quick = dir.resolve("RB-STEAL-quick.yaml");
            Files.writeString(quick, Files.readString(rb).replace("wait: 60s", "wait: 10ms"));
            CliRun steal = CliRun.run(
                    "run",
                    quick.toString(),
                    "--yes",
                    "--steal-lock",
                    "--operator",
                    "bob",
                    "--log-dir",
                    logs.toString());
            assertThat(steal.code()).as(steal.toString()).isZero();
            assertThat(steal.out()).contains("lock stolen from incident ").contains("operator alice");
            Path log;
            try (var files = Files.list(logs)) {
                log = files.filter(f -> f.toString().endsWith(".jsonl"))
                        .filter(f -> {
                            try {
                                return Files.readString(f).contains("\"operator\":\"bob\"");
                            } catch (java.io.IOException e) {
                                return false;
                            }
                        })
                        .findFirst()
                        .orElseThrow();
            }
            assertThat(JournalVerifier.verify(log).ok()).isTrue();
            assertThat((String) Events.of(log).ofType("note").get(0).get("text"))
                    .startsWith("lock of RB-STEAL on none stolen by bob with --steal-lock from incident ")
                    .contains("operator alice");
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
