package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import dev.runbook.testing.SandboxInventory;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * The drills the library declares, each with the step that repairs its fault: {@code --mutate}
     * must find that step load-bearing (the drill fails without it).
     */
    private static final java.util.Map<String, String> REPAIRS = java.util.Map.ofEntries(
            java.util.Map.entry("CS-EMERGENCY-MODE (fault supabase-5xx)", "disable-non-core"),
            java.util.Map.entry("CS-FEATURE-FLAG-ROLLBACK (fault flag-regression)", "disable-flag"),
            java.util.Map.entry("CS-P1-RLS-LEAK (fault rls-leak)", "db-reset"),
            java.util.Map.entry("CS-P1-STRIPE-DOWN (fault stripe-webhooks-failing)", "enable-premium"),
            java.util.Map.entry("CS-P1-SUPABASE-5XX (fault supabase-5xx)", "disable-tracker-pro"),
            java.util.Map.entry("CS-ROLLBACK-VERSION (fault db-corruption)", "rollback-database"),
            java.util.Map.entry("GEN-K8S-SERVICE (fault k8s-service-down)", "restart"),
            java.util.Map.entry("RB-P1-001 (fault api-down)", "restart-backend"),
            java.util.Map.entry("RB-P1-001 (fault frontend-down)", "build-frontend"),
            java.util.Map.entry("RB-P1-002 (fault auth-broken)", "revert-secret"),
            java.util.Map.entry("RB-P1-003 (fault db-down)", "restart-postgres"),
            java.util.Map.entry("RB-P1-003 (fault replica-failover)", "failover-replica"),
            java.util.Map.entry("RB-P2-001 (fault api-slow)", "restart-workers"),
            java.util.Map.entry("RB-P2-002 (fault memory-leak)", "restart-backend"),
            java.util.Map.entry("RB-P2-003 (fault sms-email-outage)", "fallback-sms-email"),
            java.util.Map.entry("ROLLBACK-GIT-SHA (fault bad-deploy)", "declencher-rollback"));

    @TempDir
    Path tmp;

    @Test
    void everyDeclaredDrillPassesAndItsRepairIsLoadBearing() throws Exception {
        Path xml = tmp.resolve("target/drills.xml");
        CliRun r = CliRun.run(
                "drill",
                "--inventory",
                inventory(),
                "--all",
                "--mutate",
                "--junit",
                xml.toString(),
                "--log-dir",
                tmp.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(REPAIRS).hasSizeGreaterThanOrEqualTo(15);
        String out = r.out();
        for (var d : REPAIRS.entrySet()) {
            assertThat(out)
                    .as(d.getKey())
                    .containsPattern(
                            "(?m)^PASS " + java.util.regex.Pattern.quote(d.getKey()) + " in .* · log .*\\.jsonl$");
            String table =
                    out.substring(out.indexOf("mutation testing " + d.getKey().replace(" (fault ", " (fault ")));
            table = table.substring(0, table.indexOf("(every step skipped)"));
            assertThat(table)
                    .as("mutants of " + d.getKey())
                    .containsPattern("(?m)^  " + java.util.regex.Pattern.quote(d.getValue()) + " +load-bearing");
        }
        long passes = out.lines().filter(l -> l.startsWith("PASS ")).count();
        long skipped = out.lines()
                .filter(l -> l.startsWith("  (every step skipped)") && l.contains("fails, as it must"))
                .count();
        assertThat(passes).as("every declared drill, as written").isEqualTo(REPAIRS.size());
        assertThat(skipped).as("every all-skipped mutant fails").isEqualTo(REPAIRS.size());
        assertThat(out).doesNotContain("FAIL ").doesNotContain("PASSES: the drill does not notice");
        // the walk of RB-P1-001: failing check, restart over SSH, passing check, verified
        assertThat(out)
                .contains("expected status 200, got 503")
                .contains("[PM2] [akig-backend] ✓")
                .contains("verified: every check of the verify section passed");
        // the walk of CS-P1-RLS-LEAK: the sandbox's stand-in tools, found through shell_path
        assertThat(out)
                .contains("status=LEAK: policy USING (true)")
                .containsPattern("incident_snapshot_\\d+\\.sql")
                .contains("HEAD is now at v1.0.0 (sandbox: no repository touched)")
                .contains("Finished supabase db reset.");

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).as("drills and their mutants").isGreaterThan(2 * REPAIRS.size());
        Element first = (Element) cases.item(0);
        assertThat(first.getAttribute("classname")).isEqualTo("drill.CS-EMERGENCY-MODE");
        assertThat(first.getAttribute("name")).isEqualTo("supabase-5xx");
        assertThat(suite.getElementsByTagName("failure").getLength()).isZero();
        try (var logs = Files.list(tmp.resolve("logs"))) {
            assertThat(logs.filter(p -> p.toString().endsWith(".jsonl")).count())
                    .isEqualTo(cases.getLength());
        }
    }

    @Test
    void aRepairThatFailsEndsUnresolvedAndAnAllSkippedMutantThatPassesFailsTheMutation() throws Exception {
        Path rb = tmp.resolve("wrong-repair.yaml");
        Files.writeString(rb, """
                id: WRONG-REPAIR
                title: Restarts the wrong process
                severity: P1
                drill: {fault: api-down}
                steps:
                  - id: restart
                    ssh: {hosts: [akig-app1], command: pm2 restart akig-frontend}
                    on_failure: continue
                  - id: restart-unknown
                    ssh: {hosts: [akig-app1], command: pm2 restart akig-backend-old}
                    on_failure: continue
                verify:
                  - id: api-health
                    http: 'GET ${env.api_url}/api/health'
                    retry: {attempts: 2, delay: 100ms}
                """);
        CliRun r = CliRun.run(
                "drill",
                "--inventory",
                inventory(),
                rb.toString(),
                "--log-dir",
                tmp.resolve("w").toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out())
                .contains("UNRESOLVED after")
                .contains("verify failed: check 'api-health': expected a 2xx status, got 503")
                .contains("1 step failed and the walk went on past it")
                .contains("FAIL WRONG-REPAIR (fault api-down)");
        Path log;
        try (var logs = Files.list(tmp.resolve("w"))) {
            log = logs.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        }
        assertThat(Files.readString(log))
                .contains("\"mode\":\"drill\"")
                .contains("\"outcome\":\"unresolved\"")
                .contains("\"verified\":false");

        // a fault that clears by itself while the checks wait: the drill passes even with every step skipped
        Path self = tmp.resolve("self-healing.yaml");
        Files.writeString(self, """
                id: SELF-HEALING
                title: Waits for Stripe
                severity: P3
                drill: {fault: stripe-webhooks-failing}
                steps:
                  - id: announce
                    notify: waiting for Stripe
                verify:
                  - id: wait-for-stripe
                    wait: 3s
                """);
        CliRun m = CliRun.run(
                "drill",
                "--inventory",
                inventory(),
                self.toString(),
                "--mutate",
                "--log-dir",
                tmp.resolve("s").toString());
        assertThat(m.code()).as(m.toString()).isEqualTo(1);
        assertThat(m.out())
                .contains("PASS SELF-HEALING (fault stripe-webhooks-failing)")
                .contains("(every step skipped)     PASSES: the drill does not notice a runbook that does nothing");
    }

    /**
     * The caller's libpq set-up is for their own servers: with {@code PGSSLMODE=verify-full} (the
     * sandbox has no TLS), a {@code PGHOST} and a {@code PGSERVICE} that lead nowhere, the
     * drill's queries still reach the sandbox's PostgreSQL and the drill passes.
     */
    @Test
    void theCallersPgVariablesDoNotReachTheDrillsQueries() throws Exception {
        CliRun r = CliRun.with()
                .env("PGSSLMODE", "verify-full")
                .env("PGHOST", "db.invalid")
                .env("PGPORT", "1")
                .env("PGSERVICE", "no-such-service")
                .run(
                        "drill",
                        "--inventory",
                        inventory(),
                        "RB-P1-003",
                        "--fault",
                        "db-down",
                        "--log-dir",
                        tmp.resolve("pg-logs").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        // the restart is checked on the sandbox's server, not refused for TLS and sent to the replica
        assertThat(r.out())
                .contains("PASS RB-P1-003 (fault db-down)")
                .doesNotContain("does not support SSL")
                .doesNotContain("going to step 'failover-replica'");
    }

    @Test
    void aFaultTheRunbookCannotFixFailsWithExit1() throws Exception {
        // RB-P1-001 restarts the backend and, for the database, calls RB-P1-003: nothing of it
        // touches row-level security, so the leak stays
        Path xml = tmp.resolve("one.xml");
        CliRun r = CliRun.run(
                "drill",
                "--inventory",
                inventory(),
                "RB-P1-001",
                "--fault",
                "rls-leak",
                "--junit",
                xml.toString(),
                "--log-dir",
                tmp.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out())
                .contains("FAIL RB-P1-001 (fault rls-leak)")
                .contains("fault rls-leak is still active")
                .contains("0 passed, 1 failed");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        assertThat(((Element) doc.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .contains("still active");
    }

    @Test
    void theDatabaseBranchOfRbP1001CallsRbP1003AsAChildIncident() throws Exception {
        Path logs = tmp.resolve("child-logs");
        CliRun r = CliRun.run(
                "drill", "--inventory", inventory(), "RB-P1-001", "--fault", "db-down", "--log-dir", logs.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("↳ RB-P1-003 runs as a child incident of")
                .contains("PASS RB-P1-001 (fault db-down)");
        try (var files = java.nio.file.Files.list(logs)) {
            java.util.List<Path> all =
                    files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList();
            Path child = all.stream()
                    .filter(f -> f.toString().endsWith("RB-P1-003.jsonl"))
                    .findFirst()
                    .orElseThrow();
            Path parent = all.stream()
                    .filter(f -> f.toString().endsWith("RB-P1-001.jsonl"))
                    .findFirst()
                    .orElseThrow();
            assertThat(java.nio.file.Files.readString(child))
                    .contains("\"parent\":{\"incident\":\""
                            + parent.getFileName().toString().replace(".jsonl", "") + "\",\"step\":\"db-failover\"}");
            assertThat(java.nio.file.Files.readString(parent))
                    .contains("\"incident\":\"" + child.getFileName().toString().replace(".jsonl", "") + "\"")
                    .contains("\"child_outcome\":\"resolved\"");
        }
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
