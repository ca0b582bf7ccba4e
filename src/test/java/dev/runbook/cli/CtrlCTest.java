package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.Events;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGINT sent to a real {@code runbook run} process, as Ctrl-C does. */
class CtrlCTest {

    @TempDir
    Path dir;

    @Test
    void sigintStopsTheStepClosesTheLogInterruptedAndExits130() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, """
                id: RB-CTRLC
                title: Ctrl-C
                severity: P1
                steps:
                  - id: long
                    shell: sleep 60 & echo $! > %s; echo started; wait
                  - id: never
                    shell: echo never
                """.formatted(pidFile));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "run",
                        rb.toString(),
                        "--yes",
                        "--no-color",
                        "--log-dir",
                        dir.resolve("logs").toString())
                .redirectErrorStream(true)
                .start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.contains("│ started")) {
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid()))
                            .start()
                            .waitFor();
                }
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(out.toString()).isTrue();
        assertThat(p.exitValue()).as(out.toString()).isEqualTo(130);
        assertThat(out.toString()).contains("INTERRUPTED").doesNotContain("Exception");

        Path log = CliRun.onlyLog(dir.resolve("logs"));
        assertThat(JournalVerifier.verify(log).ok()).isTrue();
        Events e = Events.of(log);
        assertThat(e.outcome()).isEqualTo("interrupted");
        List<Map<String, Object>> finished = e.ofType("step.finished");
        assertThat(finished)
                .singleElement()
                .satisfies(f -> assertThat(f)
                        .containsEntry("step", "long")
                        .containsEntry("status", "failed")
                        .containsEntry("error", "interrupted (Ctrl-C)"));
        long child = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
                .as("the step's child process is killed")
                .isFalse();
    }
}
