package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook show --format json|jsonl} (issue 12, item 7): the plan as data, masked as the console is. */
class ShowFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void oneDocumentWithEveryStepOfEverySectionInOrder() throws Exception {
        CliRun r = CliRun.run("show", "rb-p1-003", "--env", "prod", "--format", "json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.at("/runbook/id").asText()).isEqualTo("RB-P1-003");
        assertThat(doc.at("/runbook/protected").asBoolean()).isTrue();
        JsonNode steps = doc.get("steps");
        var rb = dev.runbook.load.RunbookLoader.load(Path.of("runbooks/akig/rb-p1-003-database-down.yaml"));
        assertThat(steps.size())
                .isEqualTo(
                        rb.steps().size() + rb.rollback().size() + rb.verify().size());
        assertThat(steps.get(0).get("id").asText()).isEqualTo(rb.steps().get(0).id());
        assertThat(steps.get(steps.size() - 1).get("phase").asText())
                .isEqualTo(rb.verify().isEmpty() ? "rollback" : "verify");
        assertThat(steps.findValuesAsText("target")).anyMatch(t -> t.contains("systemctl restart postgresql"));
    }

    @Test
    void jsonlIsOneStepPerLineAndASecretIsMasked() throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, """
                id: RB-SHOW
                title: Show
                severity: P3
                inputs:
                  token:
                    secret: true
                steps:
                  - id: call
                    shell: 'curl -H "Authorization: ${inputs.token}" https://example.test/'
                  - id: later
                    shell: echo ${steps.call.stdout}
                    dangerous: true
                """);
        CliRun r = CliRun.run("show", rb.toString(), "--var", "token=hunter2-very-secret", "--format", "jsonl");
        assertThat(r.code()).as(r.toString()).isZero();
        var lines = r.out().strip().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("runbook").asText()).isEqualTo("RB-SHOW");
        assertThat(first.get("target").asText()).contains("curl").doesNotContain("hunter2-very-secret");
        assertThat(r.out()).doesNotContain("hunter2-very-secret");
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.get("dangerous").asBoolean()).isTrue();
        assertThat(second.get("number").asInt()).isEqualTo(2);
    }

    @Test
    void markdownIsRefusedWithTheFormatsThereAre() {
        CliRun r = CliRun.run("show", "RB-P1-001", "--format", "markdown");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--format markdown is not available here (text, json or jsonl)");
    }
}
