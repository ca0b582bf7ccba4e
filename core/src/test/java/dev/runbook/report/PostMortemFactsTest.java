package dev.runbook.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The post-mortem states only what the log shows: the impact and cause the responder typed, the
 * steps that acted as the fix (never inputs, notes or health checks), the verification, and no
 * box ticked by the tool itself.
 */
class PostMortemFactsTest {

    @TempDir
    Path dir;

    private Incident incident() throws Exception {
        try (Fixtures.Log l = new Fixtures.Log(dir, "KOOMY-X", Instant.parse("2026-11-25T10:00:00Z"))) {
            l.opened("KOOMY-X", "Koomy", "P1", Fixtures.sla("5m", "1h"), "prod", "interactive", "alice");
            l.at("1m").started("saisir-impact", 1, "input", null);
            l.finished("saisir-impact", 1, "succeeded", 0, Map.of("value", "300 members could not pay"), null);
            l.at("2m").started("saisir-cause", 1, "input", null);
            l.finished("saisir-cause", 1, "succeeded", 0, Map.of("value", "expired Stripe key"), null);
            l.at("3m").started("health", 1, "http", "GET https://api/health");
            l.finished("health", 1, "succeeded", 100, Map.of("status", 200), null);
            l.at("4m").started("rotate-key", 1, "ssh", "pm2 restart koomy --update-env");
            l.finished("rotate-key", 1, "succeeded", 2000, Map.of("exit", 0), null);
            l.at("5m").closed("resolved");
            return IncidentParser.load(l.path());
        }
    }

    @Test
    void impactAndCauseAreWhatTheResponderTypedAndTheFixIsTheActingStep() throws Exception {
        String md = MarkdownReport.render(incident());

        assertThat(md)
                .contains("- **Impact**: 300 members could not pay (typed during the run)")
                .contains("- **Root Cause**: expired Stripe key (typed during the run)")
                .contains("(steps rotate-key succeeded)")
                .doesNotContain("steps saisir-impact")
                .doesNotContain("health, rotate-key")
                .contains("- [ ] Logs archived for analysis")
                .doesNotContain("- [x]")
                .contains("| Verification | not verified: the runbook has no verify section |");
        assertThat(HtmlReport.render(incident()))
                .contains("300 members could not pay (typed during the run)")
                .doesNotContain("☑");
    }

    /** A step waits for approval from its request until a step event of that step follows. */
    @Test
    void theStepWaitingForApprovalIsTheLastRequestNotYetFollowedByItsStep() throws Exception {
        try (Fixtures.Log l = new Fixtures.Log(dir, "APPROVE-X", Instant.parse("2026-11-25T10:00:00Z"))) {
            l.opened("APPROVE-X", "Approve", "P1", Fixtures.sla("5m", "1h"), "prod", "interactive", "alice");
            l.at("1m").started("health", 1, "http", "GET https://api/health");
            l.finished("health", 1, "failed", 100, Map.of("status", 503), "expected status 200, got 503");
            Path p = l.path();
            assertThat(IncidentParser.load(p).awaitingApproval()).isNull();
            l.at("2m").ev(dev.runbook.journal.EventType.APPROVAL_REQUESTED, "step", "restart", "attempt", 1);
            assertThat(IncidentParser.load(p).awaitingApproval()).isEqualTo("restart");
            l.at("3m").ev(dev.runbook.journal.EventType.APPROVAL_REFUSED, "step", "restart", "reason", "self");
            assertThat(IncidentParser.load(p).awaitingApproval()).isEqualTo("restart");
            l.at("4m").started("restart", 1, "ssh", "pm2 restart api");
            assertThat(IncidentParser.load(p).awaitingApproval()).isNull();
        }
    }
}
