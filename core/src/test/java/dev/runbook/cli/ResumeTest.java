package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runbook resume}: a real run killed (SIGKILL, SIGTERM) in another JVM, then continued in the
 * same log; and every cut point of a finished log resumed to the same path.
 */
class ResumeTest {

    @TempDir
    Path dir;

    private Process running;

    @AfterEach
    void stop() throws Exception {
        Files.writeString(dir.resolve("release"), ""); // ends any step still waiting for it
        if (running != null) {
            running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // a SIGKILLed run leaves its step's shell behind (nothing runs on SIGKILL); once the
        // directory is gone, 'release' can never appear for it: it is ended here
        String mark = dir.toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(mark))
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** Three steps; the second waits for {@code release} on its first run only. */
    private Path runbook(String first) throws Exception {
        Path rb = dir.resolve("rb.yaml");
        String d = dir.toString();
        Files.writeString(rb, """
                id: RB-RESUME
                title: Resume
                severity: P3
                steps:
                  - id: first
                    shell: %s
                  - id: slow
                    shell: echo slow >> %s/trace; if [ ! -f %s/once ]; then touch %s/once; while [ ! -f %s/release ]; do sleep 0.1; done; fi
                  - id: last
                    shell: echo "last ${steps.first.exit}" >> %s/trace
                verify:
                  - id: traced
                    shell: grep -q last %s/trace
                """.formatted(first, d, d, d, d, d, d));
        return rb;
    }

    private Path logs() {
        return dir.resolve("logs");
    }

    /** Starts {@code runbook run --yes} in a second JVM and waits until step {@code slow} started. */
    private Path startAndWaitForSlow(Path rb, String operator) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        running = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "run",
                        rb.toString(),
                        "--yes",
                        "--operator",
                        operator,
                        "--log-dir",
                        logs().toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("run.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(logs())) {
                try (var files = Files.list(logs())) {
                    var log = files.filter(f -> f.toString().endsWith(".jsonl")).findFirst();
                    Path trace = dir.resolve("trace");
                    if (log.isPresent()
                            && Files.exists(trace)
                            && Files.readAllLines(trace).contains("slow")) { // started, and waiting
                        return log.get();
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("step slow never started: " + Files.readString(dir.resolve("run.out")));
    }

    private static String id(Path log) {
        return log.getFileName().toString().replace(".jsonl", "");
    }

    private List<String> trace() throws Exception {
        return Files.readAllLines(dir.resolve("trace"));
    }

    private static List<JournalReader.Event> events(Path log, EventType type) throws Exception {
        return JournalReader.read(log).stream().filter(e -> type.is(e.type())).toList();
    }

    @Test
    void aSigkilledRunIsResumedToItsEndInTheSameLog() throws Exception {
        Path log = startAndWaitForSlow(runbook("echo first >> " + dir + "/trace"), "alice");
        running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long before = Files.size(log);

        CliRun refused = CliRun.run("resume", id(log), "--yes", "--log-dir", logs().toString());
        assertThat(refused.code()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err())
                .contains("step 'slow' was running when the run stopped")
                .contains("give --in-flight rerun, done, skip or abort");
        assertThat(Files.size(log)).as("a refused resume writes nothing").isEqualTo(before);

        CliRun r = CliRun.run(
                "resume",
                id(log),
                "--yes",
                "--in-flight",
                "rerun",
                "--operator",
                "bob",
                "--log-dir",
                logs().toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("resumed from alice").contains("RESOLVED");
        try (var files = Files.list(logs())) {
            assertThat(files.filter(f -> f.toString().endsWith(".jsonl")))
                    .as("one log")
                    .hasSize(1);
        }
        assertThat(JournalVerifier.verify(log).ok()).as("chain intact").isTrue();
        JournalReader.Event resumed = events(log, EventType.INCIDENT_RESUMED).get(0);
        assertThat(resumed.str("operator")).isEqualTo("bob");
        assertThat(resumed.str("previous_operator")).isEqualTo("alice");
        assertThat(resumed.num("from_seq")).isEqualTo(resumed.num("seq") - 1);
        assertThat(events(log, EventType.OPERATOR_DECISION))
                .anySatisfy(d -> assertThat(d.str("choice")).isEqualTo("retry"));
        assertThat(trace())
                .as("every step once, the in-flight one re-run")
                .containsExactly("first", "slow", "slow", "last 0");
        assertThat(events(log, EventType.INCIDENT_CLOSED))
                .singleElement()
                .satisfies(c -> assertThat(c.str("outcome")).isEqualTo("resolved"));

        CliRun show = CliRun.run("log", "show", id(log), "--log-dir", logs().toString());
        assertThat(show.out()).containsPattern("held by: alice on \\S+ [0-9:]+–[0-9:]+ \\(killed\\); bob on ");
        CliRun json = CliRun.run("log", "export", id(log), "--format", "json", "--log-dir", logs().toString());
        assertThat(json.out()).contains("\"holds\"").contains("\"operator\": \"bob\"");
    }

    @Test
    void anInterruptedRunIsHandedOverAndTheInFlightStepMarkedDoneAtThePrompt() throws Exception {
        Path log = startAndWaitForSlow(runbook("echo first >> " + dir + "/trace"), "alice");
        running.destroy(); // SIGTERM: the log is closed interrupted
        assertThat(running.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(events(log, EventType.INCIDENT_CLOSED).get(0).str("outcome")).isEqualTo("interrupted");
        assertThat(Files.readString(dir.resolve("run.out"))).contains("continue it with: runbook resume " + id(log));

        CliRun r = CliRun.with()
                .typing("?", "d", "", "")
                .run("resume", id(log), "--operator", "bob", "--log-dir", logs().toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("step slow was running when the run stopped")
                .contains("mark [d]one")
                .contains("d - you checked it happened");
        assertThat(events(log, EventType.OPERATOR_DECISION)).first().satisfies(d -> {
            assertThat(d.str("step")).isEqualTo("slow");
            assertThat(d.str("choice")).isEqualTo("done");
        });
        assertThat(trace()).as("slow not run again").containsExactly("first", "slow", "last 0");
        assertThat(JournalVerifier.verify(log).ok()).isTrue();
        CliRun show = CliRun.run("log", "show", id(log), "--log-dir", logs().toString());
        assertThat(show.out()).contains("(interrupted); bob on").contains("taking over from alice");
    }

    @Test
    void aTornLastLineIsCutAndRecorded() throws Exception {
        Path log = startAndWaitForSlow(runbook("echo first >> " + dir + "/trace"), "alice");
        running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Files.writeString(log, "{\"seq\":99,\"ts\":\"2026-", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        CliRun r = CliRun.run("resume", id(log), "--yes", "--in-flight", "skip", "--log-dir", logs().toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(JournalVerifier.verify(log)).satisfies(v -> {
            assertThat(v.ok()).isTrue();
            assertThat(v.torn()).isFalse();
            assertThat(v.closed()).isTrue();
        });
        assertThat(events(log, EventType.NOTE))
                .anySatisfy(n -> assertThat(n.str("text")).contains("torn by the crash was cut"));
        assertThat(trace()).containsExactly("first", "slow", "last 0");
    }

    @Test
    void aResultTheLogCutIsNotGuessedAndFromReRunsIt() throws Exception {
        // 5000 characters of stdout: the log keeps 4 KiB of it; step last reads steps.first.exit only
        // (whole in the log), a later step would read stdout
        Path rb = runbook("head -c 5000 /dev/zero | tr '\\0' x; echo first >> " + dir + "/trace");
        Files.writeString(
                rb,
                Files.readString(rb)
                        .replace("verify:", "  - id: reads\n    shell: test ${steps.first.stdout} != short\nverify:"));
        Path log = startAndWaitForSlow(rb, "alice");
        running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long before = Files.size(log);

        CliRun r = CliRun.run("resume", id(log), "--yes", "--in-flight", "rerun", "--log-dir", logs().toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err())
                .contains("step 'reads' reads steps.first.stdout")
                .contains("re-run step 'first'")
                .contains("--from first");
        assertThat(Files.size(log)).isEqualTo(before);

        CliRun from = CliRun.run("resume", id(log), "--yes", "--from", "first", "--log-dir", logs().toString());
        assertThat(from.code()).as(from.toString()).isZero();
        assertThat(trace()).containsExactly("first", "slow", "first", "slow", "last 0");
    }

    @Test
    void aClosedOrBrokenOrHeldIncidentIsNotResumed() throws Exception {
        Path rb = runbook("echo first >> " + dir + "/trace");
        Path log = startAndWaitForSlow(rb, "alice");

        CliRun held = CliRun.run("resume", id(log), "--yes", "--in-flight", "rerun", "--log-dir", logs().toString());
        assertThat(held.code()).isEqualTo(2);
        assertThat(held.err()).contains("is held by incident " + id(log)).contains("operator alice");

        Files.writeString(dir.resolve("release"), "");
        assertThat(running.waitFor(30, TimeUnit.SECONDS)).isTrue();
        CliRun closed = CliRun.run("resume", id(log), "--yes", "--log-dir", logs().toString());
        assertThat(closed.code()).isEqualTo(2);
        assertThat(closed.err()).contains("is closed resolved: only an unfinished or interrupted incident");

        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.remove(lines.size() - 1);
        lines.set(2, lines.get(2).replace("\"exit\":0", "\"exit\":1"));
        Files.write(log, lines);
        CliRun broken = CliRun.run("resume", id(log), "--yes", "--log-dir", logs().toString());
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.err()).contains(":4: prev does not match").contains("resume continues only an intact chain");
    }
}
