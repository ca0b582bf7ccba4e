package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --format json|jsonl} of {@code list}, {@code validate} and {@code log list} (issue 12,
 * item 7): each output parses as JSON (one document, or one object per line), and {@code list}
 * prints one line per runbook.
 */
class ScriptingFormatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void listGivesOneLinePerRunbookAndTheSameRunbooksAsJsonAndJsonLines() throws Exception {
        CliRun text = CliRun.run("list");
        assertThat(text.code()).as(text.toString()).isZero();
        List<String> lines = text.out().lines().toList();
        JsonNode json = JSON.readTree(CliRun.run("list", "--format", "json").out());
        assertThat(json.isArray()).isTrue();
        assertThat(json.size()).isEqualTo(lines.size()).isGreaterThan(10);
        for (int i = 0; i < json.size(); i++) {
            assertThat(lines.get(i)).startsWith(json.get(i).get("id").asText() + " ");
            assertThat(json.get(i).get("severity").asText()).matches("P[1-4]");
            assertThat(json.get(i).get("path").asText()).endsWith(".yaml");
        }
        List<String> jsonl =
                CliRun.run("list", "--format", "JSONL").out().lines().toList();
        assertThat(jsonl).hasSize(json.size());
        for (int i = 0; i < jsonl.size(); i++) {
            assertThat(JSON.readTree(jsonl.get(i))).isEqualTo(json.get(i));
        }
        CliRun bad = CliRun.run("list", "--format", "yaml");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown format 'yaml'");
    }

    @Test
    void validateReportsEachProblemWithItsPositionAsJson() throws Exception {
        Files.writeString(
                dir.resolve("ok.yaml"), "id: OK-1\ntitle: ok\nseverity: P3\nsteps:\n  - id: a\n    shell: echo a\n");
        Files.writeString(
                dir.resolve("bad.yaml"), "id: BAD-1\ntitle: bad\nseverity: P3\nsteps:\n  - id: a\n    shel: x\n");
        CliRun r = CliRun.run("validate", dir.toString(), "--format", "json");
        assertThat(r.code()).isEqualTo(1);
        JsonNode files = JSON.readTree(r.out());
        assertThat(files.size()).isEqualTo(2);
        JsonNode bad = files.get(0);
        assertThat(bad.get("file").asText()).endsWith("bad.yaml");
        assertThat(bad.get("valid").asBoolean()).isFalse();
        assertThat(bad.get("problems").get(0).get("line").asInt()).isBetween(5, 6); // the step, or its key
        assertThat(bad.get("problems").get(0).get("message").asText()).contains("shel");
        assertThat(files.get(1).get("id").asText()).isEqualTo("OK-1");
        assertThat(files.get(1).get("problems").size()).isZero();
        assertThat(CliRun.run("validate", dir.toString(), "--format", "markdown")
                        .code())
                .isEqualTo(2);
    }

    @Test
    void logListAsJsonLines() throws Exception {
        Files.writeString(
                dir.resolve("rb.yaml"), "id: LOG-1\ntitle: log\nseverity: P3\nsteps:\n  - id: a\n    shell: echo a\n");
        Path logs = dir.resolve("logs");
        for (int i = 0; i < 2; i++) {
            CliRun run = CliRun.run("run", dir.resolve("rb.yaml").toString(), "--yes", "--log-dir", logs.toString());
            assertThat(run.code()).as(run.toString()).isZero();
            Thread.sleep(1100); // incident ids are per second
        }
        List<String> lines = CliRun.run("log", "list", "--log-dir", logs.toString(), "--format", "jsonl")
                .out()
                .lines()
                .toList();
        assertThat(lines).hasSize(2);
        for (String l : lines) {
            JsonNode n = JSON.readTree(l);
            assertThat(n.get("runbook").asText()).isEqualTo("LOG-1");
            assertThat(n.get("outcome").asText()).isEqualTo("resolved");
            assertThat(n.get("chain_intact").asBoolean()).isTrue();
        }
        assertThat(JSON.readTree(lines.get(0)).get("started_at").asText())
                .isGreaterThan(JSON.readTree(lines.get(1)).get("started_at").asText());
    }

    @Test
    void logShowAsOneDocumentAndAsJsonLines() throws Exception {
        Files.writeString(
                dir.resolve("rb.yaml"), "id: LOG-2\ntitle: log\nseverity: P3\nsteps:\n  - id: a\n    shell: echo a\n");
        Path logs = dir.resolve("logs");
        CliRun run = CliRun.run("run", dir.resolve("rb.yaml").toString(), "--yes", "--log-dir", logs.toString());
        assertThat(run.code()).as(run.toString()).isZero();
        String id = CliRun.onlyLog(logs).getFileName().toString().replace(".jsonl", "");

        CliRun doc = CliRun.run("log", "show", id, "--log-dir", logs.toString(), "--format", "json");
        assertThat(doc.code()).as(doc.toString()).isZero();
        JsonNode root = JSON.readTree(doc.out());
        assertThat(root.get("incident").get("id").asText()).isEqualTo(id);
        assertThat(root.get("timeline").size()).isPositive();

        CliRun text = CliRun.run("log", "show", id, "--log-dir", logs.toString());
        List<String> lines = CliRun.run("log", "show", id, "--log-dir", logs.toString(), "--format", "jsonl")
                .out()
                .lines()
                .toList();
        assertThat(lines).hasSize(root.get("timeline").size());
        for (String l : lines) {
            JsonNode n = JSON.readTree(l);
            assertThat(text.out()).contains(n.get("text").asText());
            assertThat(n.get("elapsed_ms").asLong()).isNotNegative();
        }
        assertThat(JSON.readTree(lines.get(lines.size() - 1)).get("type").asText())
                .isEqualTo("incident.closed");
    }
}
