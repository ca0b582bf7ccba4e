package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import dev.runbook.testing.SandboxInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code runbook drill} in-process against a real sandbox (PostgreSQL, MINA SSHD, HTTP on the
 * ports of env {@code sandbox}): every declared drill passes, a fault the runbook cannot fix fails.
 */
class DrillCommandTest {

    @TempDir
    static Path state;

    /** The library's sandbox on other ports, its files in a temp dir: drills run beside a developer's sandbox. */
    private static String inventory() {
        try {
            Path inv = state.resolve("environments.yaml");
            return (Files.exists(inv) ? inv : SandboxInventory.shifted(state, 200)).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The drills the library declares (CI: at least the AKIG P1 runbooks and the CrewSnow Stripe and RLS ones). */
    private static final List<String> DRILLS = List.of(
            "CS-P1-RLS-LEAK (fault rls-leak)",
            "CS-P1-STRIPE-DOWN (fault stripe-webhooks-failing)",
            "RB-P1-001 (fault api-down)",
            "RB-P1-002 (fault auth-broken)",
            "RB-P1-003 (fault db-down)",
            "RB-P2-001 (fault api-slow)",
            "RB-P2-002 (fault memory-leak)");

    @TempDir
    Path tmp;

    @Test
    void everyDeclaredDrillPassesAndTheJUnitReportIsWellFormed() throws Exception {
        Path xml = tmp.resolve("target/drills.xml");
        CliRun r = CliRun.run(
                "drill",
                "--inventory",
                inventory(),
                "--all",
                "--junit",
                xml.toString(),
                "--log-dir",
                tmp.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isZero();
        for (String d : DRILLS) {
            assertThat(r.out())
                    .as(r.toString())
                    .containsPattern("(?m)^PASS " + java.util.regex.Pattern.quote(d) + " in .* · log .*\\.jsonl$");
        }
        assertThat(r.out()).contains("7 passed, 0 failed").doesNotContain("FAIL ");
        // the walk of RB-P1-001: failing check, restart over SSH, passing check
        assertThat(r.out()).contains("expected status 200, got 503").contains("[PM2] [akig-backend] ✓");
        // the walk of CS-P1-RLS-LEAK: the sandbox's stand-in tools, found through shell_path
        assertThat(r.out())
                .contains("status=LEAK: policy USING (true)")
                .containsPattern("incident_snapshot_\\d+\\.sql")
                .contains("HEAD is now at v1.0.0 (sandbox: no repository touched)")
                .contains("Finished supabase db reset.");

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("7");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(7);
        Element first = (Element) cases.item(0);
        assertThat(first.getAttribute("classname")).isEqualTo("drill.CS-P1-RLS-LEAK");
        assertThat(first.getAttribute("name")).isEqualTo("rls-leak");
        assertThat(suite.getElementsByTagName("failure").getLength()).isZero();
        try (var logs = Files.list(tmp.resolve("logs"))) {
            assertThat(logs.filter(p -> p.toString().endsWith(".jsonl")).count())
                    .isEqualTo(7);
        }
    }

    @Test
    void aFaultTheRunbookCannotFixFailsWithExit1() throws Exception {
        // RB-P1-001's health check does not touch the database: no restart, PostgreSQL stays down
        Path xml = tmp.resolve("one.xml");
        CliRun r = CliRun.run(
                "drill",
                "--inventory",
                inventory(),
                "RB-P1-001",
                "--fault",
                "db-down",
                "--junit",
                xml.toString(),
                "--log-dir",
                tmp.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out())
                .contains("FAIL RB-P1-001 (fault db-down)")
                .contains("fault db-down is still active")
                .contains("0 passed, 1 failed");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(((Element) doc.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .contains("still active");
    }

    @Test
    void anUnknownFaultIsAUsageError() {
        CliRun r = CliRun.run("drill", "--inventory", inventory(), "RB-P1-001", "--fault", "volcano");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown fault 'volcano'").contains("api-down");
    }

    @Test
    void aRunbookWithoutDrillNeedsAFault() {
        CliRun r = CliRun.run("drill", "--inventory", inventory(), "GEN-TRIAGE");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("GEN-TRIAGE declares no drill: give --fault NAME");
    }
}
