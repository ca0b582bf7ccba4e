package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.report.Fixtures;
import dev.runbook.testing.CliRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook log stats} over a directory of several incidents. */
class LogStatsCommandTest {

    @TempDir
    Path dir;

    private void fill() throws Exception {
        Fixtures.resolved(dir);
        Fixtures.rolledBack(dir);
        Fixtures.unfinished(dir);
        Fixtures.minor(dir);
    }

    @Test
    void textTableHasOneRowPerSeverityAndAll() throws Exception {
        fill();
        CliRun r = CliRun.run("log", "stats", "--log-dir", dir.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .containsPattern("(?m)^P1\\s+2\\s+50s\\s+50s\\s+1m10s\\s+6m05s")
                .containsPattern("(?m)^P2\\s+1\\s.*100% \\(1/1\\)\\s+rolled_back 1")
                .containsPattern("(?m)^P3\\s+1\\s.*no SLA")
                .containsPattern("(?m)^all\\s+4\\s+56s\\s+50s\\s+2m\\s+12m41s\\s+12m\\s+20m\\s+33% \\(1/3\\)")
                .containsPattern("(?m)^  RB-P1-003\\s+51h30m over 2 incidents$");
    }

    @Test
    void jsonAndSinceFilter() throws Exception {
        fill();
        CliRun r = CliRun.run("log", "stats", "--since", "2026-11-22", "--format", "json", "--log-dir", dir.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("schema").asInt()).isEqualTo(1);
        assertThat(j.get("overall").get("count").asInt()).isEqualTo(2);
        assertThat(j.get("overall").get("mtta_ms").get("samples").asInt()).isEqualTo(2);
        assertThat(j.get("overall").get("sla_breach_rate").asDouble()).isEqualTo(0.5);
        assertThat(j.get("mtbf")).isEmpty();
        assertThat(CliRun.run("log", "stats", "--since", "last week", "--log-dir", dir.toString())
                        .code())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void tamperedLogsAreLeftOutLoudly() throws Exception {
        fill();
        LogCommandsTest.tamper(dir.resolve("20261120T090000Z-RB-P3-010.jsonl"), 2, "pdf-worker", "pdf-w0rker");
        CliRun r = CliRun.run("log", "stats", "--format", "json", "--log-dir", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("20261120T090000Z-RB-P3-010.jsonl:3:").contains("left out");
        assertThat(new ObjectMapper()
                        .readTree(r.out())
                        .get("overall")
                        .get("count")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void dryRunsAndDrillsAreNotIncidents() throws Exception {
        Fixtures.minor(dir); // the one real incident (mode auto)
        java.time.Instant t = java.time.Instant.parse("2026-11-25T10:00:00Z");
        Fixtures.exercise(dir, "dry-run", "resolved", t);
        Fixtures.exercise(dir, "drill", "resolved", t.plusSeconds(3600));
        Fixtures.exercise(dir.resolve(Drills.DRILLS), "drill", "resolved", t.plusSeconds(7200));

        CliRun r = CliRun.run("log", "stats", "--format", "json", "--log-dir", dir.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("overall").get("count").asInt()).isEqualTo(1);
        assertThat(r.err()).contains("2 dry-runs and drills left out (give --include-drills to count them)");

        CliRun all = CliRun.run("log", "stats", "--include-drills", "--format", "json", "--log-dir", dir.toString());
        assertThat(new ObjectMapper()
                        .readTree(all.out())
                        .get("overall")
                        .get("count")
                        .asInt())
                .as("the directory's dry-run and drill, and the drill under drills/")
                .isEqualTo(4);
    }

    @Test
    void anUnresolvedIncidentBreachesItsSlaAndIsNotAnMttrSample() throws Exception {
        java.time.Instant t = java.time.Instant.parse("2026-11-25T10:00:00Z");
        Fixtures.exercise(dir, "auto", "unresolved", t);
        Fixtures.exercise(dir, "interactive", "resolved", t.plusSeconds(3600));

        JsonNode j = new ObjectMapper()
                .readTree(CliRun.run("log", "stats", "--format", "json", "--log-dir", dir.toString())
                        .out());
        JsonNode all = j.get("overall");
        assertThat(all.get("count").asInt()).isEqualTo(2);
        assertThat(all.get("mttr_ms").get("samples").asInt())
                .as("only the resolved one")
                .isEqualTo(1);
        assertThat(all.get("sla_breach_rate").asDouble())
                .as("the unresolved one missed resolve")
                .isEqualTo(0.5);
        assertThat(all.get("outcomes").get("unresolved").asInt()).isEqualTo(1);
    }
}
