package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.action.Action;
import dev.runbook.action.ActionContext;
import dev.runbook.action.ActionResult;
import dev.runbook.action.ShellAction;
import dev.runbook.action.WaitAction;
import dev.runbook.console.ConsoleOperator;
import dev.runbook.console.Style;
import dev.runbook.console.Terminal;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.journal.JournalWriter;
import dev.runbook.load.RunbookLoader;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Inventory;
import dev.runbook.model.Outcome;
import dev.runbook.model.Runbook;
import dev.runbook.template.Masker;
import dev.runbook.template.Renderer;
import dev.runbook.testing.Events;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's walk on real processes: crashes, loops, rollbacks, and the close. */
class EngineTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();

    /** A shell action whose {@code execute} throws for the command {@code boom}: a bug in an action. */
    private static final class Buggy implements Action<ActionSpec.Shell> {
        private final ShellAction real = new ShellAction();

        @Override
        public Duration defaultTimeout() {
            return real.defaultTimeout();
        }

        @Override
        public String target(ActionSpec.Shell spec, Renderer renderer, Inventory.Environment environment) {
            return real.target(spec, renderer, environment);
        }

        @Override
        public ActionResult execute(ActionSpec.Shell spec, ActionContext ctx) throws InterruptedException {
            if (spec.command().equals("boom")) {
                throw new IllegalStateException("bug in the action");
            }
            return real.execute(spec, ctx);
        }
    }

    private Runbook runbook(String yaml) throws Exception {
        Path p = dir.resolve("rb.yaml");
        Files.writeString(p, yaml);
        return RunbookLoader.load(p);
    }

    private record Ran(Outcome outcome, Engine engine, Events events, Path log) {}

    private Ran run(String yaml) throws Exception {
        Runbook rb = runbook(yaml);
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
        Actions actions = new Actions(Map.of("shell", new Buggy(), "wait", new WaitAction()));
        try (JournalWriter j = JournalWriter.create(
                dir.resolve("logs"), rb.id(), start, new Masker(), clock, Opened.event(plan, start), null)) {
            Engine e = new Engine(plan, new ConsoleOperator(t, new Style(false), false), j, actions, clock, start);
            Outcome o = e.run();
            assertThat(JournalVerifier.verify(j.path()).ok()).isTrue();
            return new Ran(o, e, Events.of(j.path()), j.path());
        }
    }

    @Test
    void anExceptionInAnActionStopsTheWalkWithoutFollowingOnFailure() throws Exception {
        Path marker = dir.resolve("rolled-back");
        Ran r = run("""
                id: RB-CRASH
                title: Crash
                severity: P1
                steps:
                  - id: buggy
                    shell: boom
                    on_failure: rollback
                  - id: after
                    shell: echo never
                rollback:
                  - id: undo
                    shell: touch %s
                """.formatted(marker));

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.engine().crash()).isPresent();
        assertThat(r.engine().crash().get().step()).isEqualTo("buggy");
        assertThat(r.engine().crash().get().getMessage())
                .isEqualTo("internal error in step 'buggy': java.lang.IllegalStateException: bug in the action");
        assertThat(marker).as("on_failure: rollback is not followed on a bug").doesNotExist();
        assertThat(r.events().types()).doesNotContain("rollback.started");
        assertThat(r.events().finishedSteps()).containsExactly("buggy:failed");
        assertThat(r.events().ofType("step.finished").get(0).get("error"))
                .isEqualTo("internal error: java.lang.IllegalStateException: bug in the action");
        Map<String, Object> closed = r.events().ofType("incident.closed").get(0);
        assertThat(closed).containsEntry("outcome", "failed");
        assertThat((String) closed.get("error")).startsWith("internal error in step 'buggy'");
    }

    @Test
    void aGotoLoopIsStoppedAfterTheLimit() throws Exception {
        Ran r = run("""
                id: RB-LOOP
                title: Loop
                severity: P3
                steps:
                  - id: again
                    wait: 1ms
                    on_success: again
                """);

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.events().ofType("step.finished")).hasSize(Engine.MAX_STEP_RUNS);
        assertThat(r.events().ofType("note").get(0).get("text"))
                .isEqualTo("stopped after 1000 step runs: the runbook's gotos loop");
        assertThat(out.toString()).contains("stopping: more than 1000 step runs (a goto loop?)");
    }

    @Test
    void aRollbackStepThatFailsWithAbortEndsTheRunFailed() throws Exception {
        Ran r = run("""
                id: RB-RB-FAIL
                title: Failing rollback
                severity: P2
                steps:
                  - id: deploy
                    shell: exit 1
                    on_failure: rollback
                rollback:
                  - id: undo
                    shell: exit 2
                  - id: never
                    shell: echo never
                """);

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.events().finishedSteps()).containsExactly("deploy:failed", "undo:failed");
        assertThat(r.events().ofType("rollback.finished").get(0)).containsEntry("status", "failed");
    }

    @Test
    void aRollbackThatCompletesPastAContinuedFailureEndsRolledBack() throws Exception {
        Ran r = run("""
                id: RB-RB-CONT
                title: Rollback with continue
                severity: P2
                steps:
                  - id: deploy
                    shell: exit 1
                    on_failure: rollback
                rollback:
                  - id: undo-a
                    shell: echo undone
                  - id: undo-b
                    shell: exit 4
                    on_failure: continue
                """);

        assertThat(r.outcome())
                .as("docs/format.md: a rollback section that completes ends rolled_back")
                .isEqualTo(Outcome.ROLLED_BACK);
        assertThat(r.events().finishedSteps()).containsExactly("deploy:failed", "undo-a:succeeded", "undo-b:failed");
        assertThat(r.events().ofType("rollback.finished").get(0)).containsEntry("status", "succeeded");
        assertThat(r.events().outcome()).isEqualTo("rolled_back");
    }

    @Test
    void aRollbackStepCannotGoToAMainStep() throws Exception {
        Ran r = run("""
                id: RB-RB-GOTO
                title: Rollback goto
                severity: P2
                steps:
                  - id: deploy
                    shell: exit 1
                    on_failure: rollback
                  - id: retry-deploy
                    shell: echo main
                rollback:
                  - id: undo
                    shell: exit 2
                    on_failure: retry-deploy
                """);

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.events().finishedSteps()).containsExactly("deploy:failed", "undo:failed");
    }

    @Test
    void onFailureGotoAndOnSuccessEnd() throws Exception {
        Ran r = run("""
                id: RB-FLOW
                title: Flow
                severity: P3
                steps:
                  - id: probe
                    shell: exit 1
                    on_failure: fix
                  - id: skipped-by-goto
                    shell: echo no
                  - id: fix
                    shell: echo fixed
                    on_success: end
                  - id: after-end
                    shell: echo no
                """);

        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.events().finishedSteps()).containsExactly("probe:failed", "fix:succeeded");
        assertThat(r.events().ofType("operator.decision")).isEmpty();
        assertThat(out.toString()).contains("→ going to step 'fix'");
    }

    @Test
    void aDangerousStepIsRefusedUnattendedAndFollowsOnFailure() throws Exception {
        Path marker = dir.resolve("dropped");
        Ran r = run("""
                id: RB-DANGER
                title: Danger
                severity: P2
                steps:
                  - id: drop
                    shell: touch %s
                    dangerous: true
                    on_failure: continue
                  - id: next
                    shell: echo next
                """.formatted(marker));

        assertThat(marker).doesNotExist();
        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.events().ofType("step.finished").get(0).get("error"))
                .isEqualTo("refused: step 'drop' is dangerous and the run is unattended"
                        + " (give --allow-dangerous to run it)");
        assertThat(r.events().finishedSteps()).containsExactly("drop:failed", "next:succeeded");
    }

    @Test
    void retriesUntilTheConditionHoldsThenGivesUp() throws Exception {
        Path count = dir.resolve("count");
        Ran r = run("""
                id: RB-RETRY
                title: Retry
                severity: P3
                steps:
                  - id: flaky
                    shell: echo x >> %s; wc -l < %s
                    retry: {attempts: 3, delay: 1ms, until: "steps.flaky.stdout == '5'"}
                    on_failure: continue
                """.formatted(count, count));

        assertThat(r.outcome()).isEqualTo(Outcome.RESOLVED);
        assertThat(r.events().finishedSteps()).containsExactly("flaky:failed", "flaky:failed", "flaky:failed");
        assertThat(Files.readAllLines(count)).hasSize(3);
        assertThat((String) r.events().ofType("step.finished").get(2).get("error"))
                .startsWith("retry.until not met");
    }

    /** Every event the engine writes has exactly its record's fields, in order, after the envelope. */
    @Test
    void eventsCarryExactlyTheirRecordFields() throws Exception {
        Ran r = run("""
                id: RB-FIELDS
                title: Fields
                severity: P3
                sla: {respond: 1m, resolve: 2m}
                steps:
                  - id: one
                    shell: echo hi
                """);

        List<String> keys = r.events().all().stream()
                .map(e -> e.type() + ":" + String.join(",", e.fields().keySet()))
                .toList();
        assertThat(keys)
                .containsExactly(
                        "incident.opened:seq,ts,type,incident,prev,runbook,env,mode,operator,host,inputs,"
                                + "tool_version,sla",
                        "step.started:seq,ts,type,incident,prev,step,attempt,action,target",
                        "step.finished:seq,ts,type,incident,prev,step,attempt,status,duration_ms,result,error",
                        "incident.closed:seq,ts,type,incident,prev,outcome,duration_ms,verified");
    }
}
