package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.runbook.action.ShellAction;
import dev.runbook.action.WaitAction;
import dev.runbook.console.ConsoleOperator;
import dev.runbook.console.Style;
import dev.runbook.console.Terminal;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.journal.JournalWriter;
import dev.runbook.load.InvalidException;
import dev.runbook.load.RunbookLoader;
import dev.runbook.model.Outcome;
import dev.runbook.model.Runbook;
import dev.runbook.template.Masker;
import dev.runbook.testing.Events;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verify section (docs/format.md, "verify") on real processes: {@code resolved} only when
 * every check passes, {@code unresolved} when one fails, {@code failed} after a rollback whose
 * checks fail, and a plain "not verified" for a runbook without checks.
 */
class VerifyTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    private record Ran(Outcome outcome, Events events, String console) {}

    private Ran run(String yaml) throws Exception {
        Path p = dir.resolve("rb.yaml");
        Files.writeString(p, yaml);
        Runbook rb = RunbookLoader.load(p);
        Terminal t = new Terminal(
                new BufferedReader(new StringReader("")),
                new PrintWriter(out, true),
                new PrintWriter(out, true),
                false,
                Map.of(),
                false);
        Plan plan = Planner.plan(new Planner.Request(
                rb, null, null, Mode.AUTO, Map.of(), Map.of(), "tester", "here", false, null, true));
        Clock clock = Clock.systemUTC();
        Instant start = clock.instant();
        Actions actions = new Actions(Map.of("shell", new ShellAction(), "wait", new WaitAction()));
        try (JournalWriter j = JournalWriter.create(
                dir.resolve("logs"), rb.id(), start, new Masker(), clock, Opened.event(plan, start), null)) {
            Engine e = new Engine(plan, new ConsoleOperator(t, new Style(false), false), j, actions, clock, start);
            Outcome o = e.run();
            assertThat(JournalVerifier.verify(j.path()).ok()).isTrue();
            return new Ran(o, Events.of(j.path()), out.toString());
        }
    }

    @Test
    void everyRepairFailingUnderContinueEndsUnresolvedWhenTheCheckFails() throws Exception {
        Path healthy = dir.resolve("healthy");
        Ran r = run("""
                id: RB-V1
                title: Repairs that fail
                severity: P1
                steps:
                  - id: repair-a
                    shell: exit 1
                    on_failure: continue
                  - id: repair-b
                    shell: exit 2
                    on_failure: continue
                verify:
                  - id: service-up
                    shell: test -e %s
                """.formatted(healthy));

        assertThat(r.outcome()).isEqualTo(Outcome.UNRESOLVED);
        assertThat(r.outcome().exitCode()).isEqualTo(1);
        assertThat(r.events().finishedSteps())
                .containsExactly("repair-a:failed", "repair-b:failed", "service-up:failed");
        assertThat(r.events().ofType("step.finished").get(2)).containsEntry("phase", "verify");
        assertThat(r.events().ofType("step.started").get(2)).containsEntry("phase", "verify");
        assertThat(r.events().ofType("step.finished").get(0)).doesNotContainKey("phase");
        Map<String, Object> closed = r.events().ofType("incident.closed").get(0);
        assertThat(closed).containsEntry("outcome", "unresolved").containsEntry("verified", false);
        assertThat(r.console())
                .contains("UNRESOLVED after")
                .contains("verify failed: check 'service-up': exit 1")
                .contains("2 steps failed and the walk went on past them");
    }

    @Test
    void aPassingCheckResolvesAndIsLoggedVerified() throws Exception {
        Path healthy = dir.resolve("healthy");
        Ran r = run("""
                id: RB-V2
                title: Repair works
                severity: P1
                steps:
                  - id: repair
                    shell: touch %s
                verify:
                  - id: service-up
                    shell: test -e %s
                    retry: {attempts: 3, delay: 10ms}
                """.formatted(healthy, healthy));

        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.events().ofType("incident.closed").get(0)).containsEntry("verified", true);
        assertThat(r.console()).contains("verified: every check of the verify section passed");
    }

    @Test
    void aCheckIsRetriedUntilTheServiceComesBack() throws Exception {
        Path counter = dir.resolve("n");
        Ran r = run("""
                id: RB-V3
                title: Slow recovery
                severity: P2
                steps:
                  - id: repair
                    shell: echo restarted
                verify:
                  - id: comes-back
                    shell: echo x >> %s; test $(wc -l < %s) -ge 3
                    retry: {attempts: 5, delay: 10ms}
                """.formatted(counter, counter));

        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.events().finishedSteps())
                .containsExactly("repair:succeeded", "comes-back:failed", "comes-back:failed", "comes-back:succeeded");
    }

    @Test
    void aRollbackWhoseChecksFailEndsFailedAndOneWhoseChecksPassEndsRolledBack() throws Exception {
        Path restored = dir.resolve("restored");
        String yaml = """
                id: RB-V4
                title: Deploy that rolls back
                severity: P1
                steps:
                  - id: deploy
                    shell: exit 1
                    on_failure: rollback
                rollback:
                  - id: undo
                    shell: %s
                verify:
                  - id: old-version-up
                    shell: test -e %s
                """;
        Ran failed = run(yaml.formatted("exit 0", restored));
        assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(failed.events().finishedSteps())
                .containsExactly("deploy:failed", "undo:succeeded", "old-version-up:failed");

        Ran ok = run(yaml.formatted("touch " + restored, restored));
        assertThat(ok.outcome()).isEqualTo(Outcome.ROLLED_BACK);
        assertThat(ok.events().ofType("incident.closed").get(0)).containsEntry("verified", true);
        assertThat(ok.events().ofType("step.finished").get(1)).containsEntry("phase", "rollback");
    }

    @Test
    void aRunbookWithoutChecksSaysPlainlyItIsNotVerified() throws Exception {
        Ran r = run("""
                id: RB-V5
                title: No checks
                severity: P3
                steps:
                  - id: repair
                    shell: exit 1
                    on_failure: continue
                """);

        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.events().ofType("incident.closed").get(0)).containsEntry("verified", false);
        assertThat(r.console())
                .contains("not verified: the runbook has no verify section")
                .contains("1 step failed and the walk went on past it");
    }

    @Test
    void anAbortedWalkNeverRunsTheChecks() throws Exception {
        Ran r = run("""
                id: RB-V6
                title: Aborted
                severity: P1
                steps:
                  - id: repair
                    shell: exit 1
                verify:
                  - id: never
                    shell: echo checked
                """);

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.events().finishedSteps()).containsExactly("repair:failed");
        assertThat(r.console()).doesNotContain("verified").doesNotContain("not verified");
    }

    @Test
    void checksThatBranchAskOrDestroyAreRefusedAtLoad() throws Exception {
        Path p = dir.resolve("bad.yaml");
        Files.writeString(p, """
                id: RB-V7
                title: Bad checks
                severity: P1
                steps:
                  - id: repair
                    shell: echo ok
                verify:
                  - id: ask
                    manual: is it back?
                  - id: branchy
                    shell: echo x
                    on_failure: continue
                  - id: destroy
                    shell: echo y
                    dangerous: true
                  - id: repair
                    shell: echo dup
                """);
        InvalidException e = (InvalidException) catchThrowable(() -> RunbookLoader.load(p));
        assertThat(e.problems().stream().map(Object::toString).toList())
                .anyMatch(m -> m.contains("verify step 'ask' is 'manual'"))
                .anyMatch(m -> m.contains("verify step 'branchy' has on_failure: continue"))
                .anyMatch(m -> m.contains("verify step 'destroy' is dangerous"))
                .anyMatch(m -> m.contains("duplicate step id 'repair'"));
    }
}
