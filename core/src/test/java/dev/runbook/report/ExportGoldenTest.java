package dev.runbook.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Markdown and JSON exports of logs written by the real JournalWriter, against golden files. */
class ExportGoldenTest {

    @TempDir
    Path dir;

    @Test
    void resolvedIncidentMarkdownMatchesGolden() throws Exception {
        Incident in = IncidentParser.load(Fixtures.resolved(dir));
        Golden.assertMatches("resolved.md", MarkdownReport.render(in));
    }

    @Test
    void resolvedIncidentJsonMatchesGolden() throws Exception {
        Incident in = IncidentParser.load(Fixtures.resolved(dir));
        Golden.assertMatches("resolved.json", JsonReport.render(in));
    }

    @Test
    void rolledBackIncidentMarkdownMatchesGolden() throws Exception {
        Incident in = IncidentParser.load(Fixtures.rolledBack(dir));
        Golden.assertMatches("rolled-back.md", MarkdownReport.render(in));
    }

    @Test
    void unfinishedIncidentJsonMatchesGolden() throws Exception {
        Incident in = IncidentParser.load(Fixtures.unfinished(dir));
        Golden.assertMatches("unfinished.json", JsonReport.render(in));
    }

    @Test
    void jsonCarriesTheDocumentedSchemaAndFacts() throws Exception {
        JsonNode j = new ObjectMapper().readTree(JsonReport.render(IncidentParser.load(Fixtures.resolved(dir))));
        assertThat(j.get("schema").asInt()).isEqualTo(1);
        assertThat(j.get("integrity").get("verified").asBoolean()).isTrue();
        assertThat(j.get("incident").get("outcome").asText()).isEqualTo("resolved");
        assertThat(j.get("incident").get("duration_ms").asLong()).isEqualTo(365_000);
        assertThat(j.get("sla").get("respond").get("state").asText()).isEqualTo("met");
        assertThat(j.get("sla").get("respond").get("actual_ms").asLong()).isEqualTo(70_000);
        assertThat(j.get("metrics").get("time_to_acknowledge_ms").asLong()).isEqualTo(70_000);
        assertThat(j.get("timeline")).hasSize(14);
        JsonNode health = j.get("steps").get(0);
        assertThat(health.get("id").asText()).isEqualTo("health");
        assertThat(health.get("attempts").asInt()).isEqualTo(2);
        assertThat(health.get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void markdownFillsWhatTheLogKnowsAndMarksTheRest() throws Exception {
        String md = MarkdownReport.render(IncidentParser.load(Fixtures.rolledBack(dir)));
        assertThat(md)
                .contains("| Outcome | **rolled\\_back** |")
                .contains("| Resolve (service restored) | 10m | 12m | **BREACHED by 2m** |")
                .contains("redeploy-previous (rollback) | succeeded | 1 | 2m |")
                .contains("- **Root Cause**: " + MarkdownReport.BLANK)
                .contains("rolled back (smoke-test failed after deploy a1b2c3d)")
                .contains("### Short term (< 24 h)")
                .contains("(if P1; this incident is P2)");
        assertThat(md).doesNotContain("FAILED integrity").doesNotContain("Unfinished");
    }
}
