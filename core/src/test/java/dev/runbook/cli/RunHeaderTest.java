package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's header shows an escalation's message rendered, as it will be posted. */
class RunHeaderTest {

    @TempDir
    Path dir;

    @Test
    void anEscalationMessageIsShownRendered() throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, """
                id: RB-HEAD
                title: Header
                severity: P2
                escalation:
                  - {after: 15m, notify: "${incident.id} still open (${incident.severity})"}
                steps:
                  - id: a
                    shell: echo a
                """);
        CliRun r = CliRun.run(
                "run",
                rb.toString(),
                "--dry-run",
                "--log-dir",
                dir.resolve("logs").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        String line = r.out()
                .lines()
                .filter(l -> l.startsWith("Escalation L1"))
                .findFirst()
                .orElseThrow();
        assertThat(line)
                .doesNotContain("${")
                .matches("Escalation L1 at 15m: \\d{8}T\\d{6}Z-RB-HEAD still open \\(P2\\)");
    }
}
