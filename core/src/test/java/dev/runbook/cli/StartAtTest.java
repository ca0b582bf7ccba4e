package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import dev.runbook.testing.Events;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook run --start-at STEP}: a new incident from a step, the steps before it done by hand. */
class StartAtTest {

    @TempDir
    Path dir;

    private Path runbook() throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, """
                id: RB-START
                title: Start at
                severity: P2
                steps:
                  - id: diagnose
                    shell: touch %1$s/diagnosed
                  - id: restart
                    shell: touch %1$s/restarted
                  - id: check
                    shell: test -e %1$s/restarted
                  - id: report
                    shell: echo "${steps.diagnose.stdout}"
                """.formatted(dir));
        return rb;
    }

    @Test
    void theWalkStartsAtTheStepAndTheLogSaysSo() throws Exception {
        Path rb = runbook();
        Files.writeString(rb, Files.readString(rb).replace("echo \"${steps.diagnose.stdout}\"", "echo done"));
        CliRun r = CliRun.run(
                "run",
                rb.toString(),
                "--yes",
                "--start-at",
                "restart",
                "--log-dir",
                dir.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(dir.resolve("diagnosed")).as("done by hand, not run").doesNotExist();
        assertThat(dir.resolve("restarted")).exists();
        Events e = Events.of(CliRun.onlyLog(dir.resolve("logs")));
        assertThat(e.ofType("incident.opened").get(0)).containsEntry("start_at", "restart");
        assertThat((String) e.ofType("note").get(0).get("text"))
                .isEqualTo("started at step 'restart' (--start-at): the step before it was done by hand");
        assertThat(e.finishedSteps()).containsExactly("restart:succeeded", "check:succeeded", "report:succeeded");
    }

    @Test
    void aStartThatSkipsAResultALaterStepReadsIsRefused() throws Exception {
        CliRun r = CliRun.run(
                "run",
                runbook().toString(),
                "--yes",
                "--start-at",
                "restart",
                "--log-dir",
                dir.resolve("logs").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("--start-at restart skips step 'diagnose', whose result step 'report' reads"
                        + " (steps.diagnose.stdout)");
        assertThat(dir.resolve("logs")).as("nothing ran, nothing was written").doesNotExist();

        CliRun unknown = CliRun.run("run", runbook().toString(), "--yes", "--start-at", "nope");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--start-at 'nope' is not a step of the main walk");
    }
}
