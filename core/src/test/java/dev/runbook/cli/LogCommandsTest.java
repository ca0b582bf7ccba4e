package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.report.Fixtures;
import dev.runbook.testing.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook log list|show|verify|status} and the INCIDENT reference, in-process. */
class LogCommandsTest {

    @TempDir
    Path dir;

    private String d() {
        return dir.toString();
    }

    @Test
    void listShowsNewestFirstWithUnfinished() throws Exception {
        Fixtures.resolved(dir);
        Fixtures.rolledBack(dir);
        Fixtures.unfinished(dir);
        CliRun r = CliRun.run("log", "list", "--log-dir", d());
        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("INCIDENT").contains("OUTCOME").contains("DURATION");
        assertThat(lines.get(1))
                .startsWith("20261123T140000Z-RB-P1-003")
                .contains("unfinished")
                .contains("1m");
        assertThat(lines.get(2))
                .startsWith("20261122T080000Z-RB-P2-007")
                .contains("rolled_back")
                .contains(" auto ");
        assertThat(lines.get(3))
                .startsWith("20261121T102345Z-RB-P1-003")
                .contains("resolved")
                .contains("6m05s")
                .contains("2026-11-21 10:23:45 UTC");
    }

    @Test
    void logDirComesFromTheEnvironment() throws Exception {
        Fixtures.resolved(dir);
        CliRun r = CliRun.with().env("RUNBOOK_LOG_DIR", d()).run("log", "list");
        assertThat(r.out()).contains("20261121T102345Z-RB-P1-003");
    }

    @Test
    void showPrintsOneLinePerEventWithElapsedTime() throws Exception {
        Fixtures.resolved(dir);
        CliRun r = CliRun.run("log", "show", "20261121", "--log-dir", d());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("SLA respond 5m: met (3m50s to spare)")
                .contains("10:24:55  +00:01:10  Decision on health: run (alert confirmed)")
                .contains("10:29:50  +00:06:05  Incident closed: resolved (after 6m05s)");
        assertThat(r.out().lines().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  \\+.*")))
                .hasSize(14);
    }

    @Test
    void ambiguousPrefixIsAUsageErrorListingCandidates() throws Exception {
        Fixtures.resolved(dir);
        Fixtures.unfinished(dir);
        CliRun r = CliRun.run("log", "show", "2026112", "--log-dir", d());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
                .contains("matches 2 incidents")
                .contains("20261121T102345Z-RB-P1-003")
                .contains("20261123T140000Z-RB-P1-003");
        CliRun none = CliRun.run("log", "show", "1999", "--log-dir", d());
        assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("no incident '1999'");
    }

    @Test
    void verifyReportsIntactAndTamperedChains() throws Exception {
        Path log = Fixtures.resolved(dir);
        CliRun ok = CliRun.run("log", "verify", log.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out().trim()).isEqualTo("✓ " + log + ": 14 events, chain intact, unsigned");
        tamper(log, 4, "status 503", "status 200");
        CliRun bad = CliRun.run("log", "verify", "20261121T102345Z-RB-P1-003", "--log-dir", d());
        assertThat(bad.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(bad.out().trim()).startsWith("✗ " + dir.resolve("20261121T102345Z-RB-P1-003.jsonl") + ":5: prev");
    }

    @Test
    void showAndListFlagATamperedLog() throws Exception {
        Path log = Fixtures.resolved(dir);
        tamper(log, 2, "alert confirmed", "no alert");
        CliRun show = CliRun.run("log", "show", "20261121", "--log-dir", d());
        assertThat(show.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(show.out())
                .startsWith("⚠ THIS LOG FAILED VERIFICATION: " + log + ":3: prev")
                .contains("Decision on health: run (no alert)");
        CliRun list = CliRun.run("log", "list", "--log-dir", d());
        assertThat(list.out()).contains("resolved ✗");
        CliRun status = CliRun.run("log", "status", "20261121", "--template", "initial", "--log-dir", d());
        assertThat(status.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(status.err()).contains(":3: prev does not match");
    }

    @Test
    void statusTemplatesAreFilledFromTheLog() throws Exception {
        Fixtures.unfinished(dir);
        CliRun initial = CliRun.run("log", "status", "20261123", "--template", "initial", "--log-dir", d());
        assertThat(initial.code()).as(initial.toString()).isZero();
        assertThat(initial.out())
                .startsWith("🚨 **INCIDENT P1 - Base de données indisponible**")
                .contains("**Début**: 14:00 UTC (2026-11-23)")
                .contains("**Équipe assignée**: @carol")
                .contains("**Canal**: #incident-2026-11-23")
                .contains("[à compléter : impact utilisateurs]");
        CliRun update = CliRun.run(
                "log", "status", "20261123", "--template", "update", "--now", "2026-11-23T14:12:30Z", "--log-dir", d());
        assertThat(update.out())
                .contains("**Statut**: En cours")
                .contains("**Durée**: 0h 12min")
                .contains("- 14:00 - Step health failed")
                .contains("**Étape en cours**: restart-db");
        CliRun resolution = CliRun.run(
                "log",
                "status",
                "20261123",
                "--template",
                "resolution",
                "--now",
                "2026-11-23T14:12:30Z",
                "--log-dir",
                d());
        assertThat(resolution.out()).startsWith("⏳ **EN COURS");
    }

    @Test
    void resolutionOfARolledBackIncidentUsesTheRollbackMessage() throws Exception {
        Fixtures.rolledBack(dir);
        CliRun r = CliRun.run("log", "status", "20261122", "--template", "resolution", "--log-dir", d());
        assertThat(r.out())
                .startsWith("✅ **RÉSOLU - INCIDENT P2 - Régression après déploiement**")
                .contains("**Durée totale**: 0h 12min")
                .contains("**Résolution**: rolled back (smoke-test failed after deploy a1b2c3d)")
                .contains("Rollback terminé. Le système est de nouveau opérationnel.");
        CliRun bad = CliRun.run("log", "status", "20261122", "--template", "weekly", "--log-dir", d());
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpTeachesWithExamplesAndDefinitions() {
        CliRun stats = CliRun.run("log", "stats", "--help");
        assertThat(stats.code()).isZero();
        assertThat(stats.out())
                .contains("MTTA  Mean Time To Acknowledge")
                .contains("MTTR  Mean Time To Resolve")
                .contains("MTBF  Mean Time Between Failures")
                .contains("Examples:");
        assertThat(CliRun.run("log", "--help").out())
                .contains("export")
                .contains("status")
                .contains("verify");
        assertThat(CliRun.run("log").code()).isEqualTo(ExitCodes.USAGE);
    }

    /** Replaces text in one line (1-based) of a log, as an attacker editing the file would. */
    static void tamper(Path log, int line, String from, String to) throws Exception {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines.get(line - 1)).contains(from);
        lines.set(line - 1, lines.get(line - 1).replace(from, to));
        Files.write(log, lines, StandardCharsets.UTF_8);
    }
}
