package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.report.Fixtures;
import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook log export}: formats, -o, the tamper case and the unfinished case. */
class LogExportCommandTest {

    @TempDir
    Path dir;

    @Test
    void defaultIsMarkdownOnStdout() throws Exception {
        Fixtures.resolved(dir);
        CliRun r = CliRun.run("log", "export", "20261121T102345Z-RB-P1-003", "--log-dir", dir.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .startsWith("# Post-mortem: 20261121T102345Z-RB-P1-003\n")
                .contains("## Timeline");
    }

    @Test
    void tamperedLogIsRefusedWithItsFirstBadLine() throws Exception {
        Path log = Fixtures.resolved(dir);
        LogCommandsTest.tamper(log, 4, "status 503", "status 200");
        Path out = dir.resolve("pm.md");
        CliRun r = CliRun.run("log", "export", log.toString(), "-o", out.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains(log + ":5: prev does not match").contains("--force");
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void forcedExportOfATamperedLogSaysSoInEveryFormat() throws Exception {
        Path log = Fixtures.resolved(dir);
        LogCommandsTest.tamper(log, 4, "status 503", "status 200");
        CliRun md = CliRun.run("log", "export", log.toString(), "--force");
        assertThat(md.code()).as(md.toString()).isZero();
        assertThat(md.out().lines().skip(2).findFirst().orElse(""))
                .startsWith("> ⚠️ **WARNING: this incident log FAILED integrity verification** (line 5");
        assertThat(md.err()).contains("WARNING").contains(":5:");
        assertThat(md.out()).contains("- [ ] Logs archived for analysis (**the incident log failed verification**)");
        JsonNode j = new ObjectMapper()
                .readTree(CliRun.run("log", "export", log.toString(), "--force", "--format", "json")
                        .out());
        assertThat(j.get("integrity").get("verified").asBoolean()).isFalse();
        assertThat(j.get("integrity").get("bad_line").asInt()).isEqualTo(5);
        assertThat(j.get("warnings").get(0).asText()).contains("FAILED integrity verification");
        String html = CliRun.run("log", "export", log.toString(), "--force", "--format", "html")
                .out();
        assertThat(html).contains("<div class=\"warn\" id=\"integrity-warning\">⚠ WARNING: this incident log FAILED");
    }

    @Test
    void unfinishedLogExportsAsUnfinishedWithWhatItHas() throws Exception {
        Fixtures.unfinished(dir);
        CliRun r = CliRun.run("log", "export", "20261123", "--log-dir", dir.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("> ⚠️ **Unfinished incident**: the log stops at 2026-11-23 14:01:00 UTC")
                .contains("| Outcome | **unfinished** |")
                .contains("| Duration | 1m so far |")
                .contains("| restart-db | unfinished | 1 | 0ms |")
                .contains("| Resolve (service restored) | 30m | - | **pending (29m left at the last event)** |");
        JsonNode j = new ObjectMapper()
                .readTree(CliRun.run("log", "export", "20261123", "--format", "json", "--log-dir", dir.toString())
                        .out());
        assertThat(j.get("incident").get("finished").asBoolean()).isFalse();
        assertThat(j.get("incident").get("outcome").asText()).isEqualTo("unfinished");
        assertThat(j.get("attempts").get(1).get("status").asText()).isEqualTo("unfinished");
    }

    @Test
    void outputFileAndUnknownFormat() throws Exception {
        Fixtures.rolledBack(dir);
        Path out = dir.resolve("pm.html");
        CliRun r = CliRun.run(
                "log", "export", "20261122", "--format", "html", "-o", out.toString(), "--log-dir", dir.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Wrote " + out);
        assertThat(Files.readString(out))
                .startsWith("<!DOCTYPE html>")
                .contains("<svg")
                .endsWith("</html>\n");
        CliRun bad = CliRun.run("log", "export", "20261122", "--format", "pdf", "--log-dir", dir.toString());
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("unknown --format 'pdf'");
    }
}
