package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Post-mortem export of a log written by a real {@code runbook run} (not a test-made log). */
class ExportRealRunTest {

    @TempDir
    Path dir;

    @Test
    void aRealRunExportsAsMarkdownAndJson() throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, """
                id: RB-EXPORT
                title: Export
                severity: P2
                sla: {respond: 15m, resolve: 4h}
                steps:
                  - id: probe
                    shell: exit 1
                    on_failure: fix
                  - id: fix
                    shell: echo fixed
                """);
        String logs = dir.resolve("logs").toString();
        CliRun run = CliRun.with()
                .typing("", "n", "restarting", "", "")
                .run("run", rb.toString(), "--log-dir", logs, "--operator", "bob");
        assertThat(run.code()).as(run.toString()).isZero();
        String id = CliRun.onlyLog(dir.resolve("logs")).getFileName().toString().replace(".jsonl", "");

        CliRun md = CliRun.run("log", "export", id.substring(0, 12), "--log-dir", logs);
        assertThat(md.code()).as(md.toString()).isZero();
        assertThat(md.out())
                .startsWith("# Post-mortem: " + id)
                .contains("| Outcome | **resolved** |")
                .contains("| Operator(s) | bob |")
                .contains("**met")
                .contains("Step probe failed (attempt 1")
                .contains("goto:fix")
                .contains("restarting")
                .contains("| fix | succeeded | 1 |")
                .contains("**[TO FILL]**");

        CliRun json = CliRun.run("log", "export", id, "--format", "json", "--log-dir", logs);
        assertThat(json.code()).isZero();
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.path("schema").asInt()).isEqualTo(1);
        assertThat(doc.toString()).contains("RB-EXPORT").contains("\"probe\"").contains("\"fix\"");
    }
}
