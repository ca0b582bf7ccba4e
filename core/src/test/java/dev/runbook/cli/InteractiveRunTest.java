package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive walk, driven by scripted answers at the prompts. */
class InteractiveRunTest {

    @TempDir
    Path dir;

    private Path runbook(String yaml) throws IOException {
        Path p = dir.resolve("rb.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private CliRun walk(Path rb, String... typed) {
        return CliRun.with()
                .typing(typed)
                .run("run", rb.toString(), "--log-dir", dir.resolve("logs").toString(), "--operator", "alice");
    }

    private Events events() throws IOException {
        Path log = CliRun.onlyLog(dir.resolve("logs"));
        assertThat(JournalVerifier.verify(log).ok()).isTrue();
        return Events.of(log);
    }

    private static final String FOUR_STEPS = """
            id: RB-WALK
            title: Walk
            severity: P1
            sla: {respond: 5m, resolve: 30m}
            steps:
              - id: one
                title: First step
                description: Explains the first step.
                shell: echo one
              - id: two
                shell: echo two
              - id: call-dba
                manual:
                  text: Appeler le DBA
                  checklist: [DBA joint]
              - id: four
                shell: echo four
            """;

    @Test
    void runSkipNoteAndManualDoneAreDecisionsInTheLog() throws IOException {
        Path rb = runbook(FOUR_STEPS);
        CliRun r = walk(rb, "", "n", "customers report 500s", "s", "y", "");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("[1/4] one — First step")
                .contains("Explains the first step.")
                .contains("Run step 1/4 one? [Y,s,n,a,b,?]")
                .contains("Done with step 3/4 call-dba?")
                .contains("[ ] DBA joint")
                .contains("elapsed")
                .contains("respond 5m / resolve 30m");
        Events e = events();
        assertThat(e.ofType("operator.decision"))
                .extracting(m -> m.get("step") + ":" + m.get("choice"))
                .containsExactly("one:run", "two:skip", "call-dba:done", "four:run");
        assertThat(e.ofType("note")).singleElement().satisfies(n -> {
            assertThat(n).containsEntry("text", "customers report 500s").containsEntry("step", "two");
        });
        assertThat(e.finishedSteps())
                .containsExactly("one:succeeded", "two:skipped", "call-dba:succeeded", "four:succeeded");
        assertThat(e.ofType("step.finished").get(2).get("result").toString()).contains("confirmed_by=alice");
    }

    @Test
    void questionMarkExplainsAndAbortEndsTheRun() throws IOException {
        Path rb = runbook(FOUR_STEPS);
        CliRun r = walk(rb, "?", "a");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("s - skip this step and go on").contains("b - turn to the rollback section");
        assertThat(events().outcome()).isEqualTo("aborted");
    }

    @Test
    void afterAFailureTheOperatorRetriesThenSkips() throws IOException {
        Path rb = runbook("""
                id: RB-FAIL
                title: Fail
                severity: P2
                steps:
                  - id: flaky
                    shell: exit 1
                  - id: after
                    shell: echo after
                """);
        CliRun r = walk(rb, "", "r", "s", "");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Step flaky failed. [r,s,a,b,n,?] (Enter: abort the run)");
        Events e = events();
        assertThat(e.finishedSteps()).containsExactly("flaky:failed", "flaky:failed", "after:succeeded");
        assertThat(e.ofType("operator.decision"))
                .extracting(m -> m.get("choice"))
                .containsExactly("run", "retry", "skip", "run");
    }

    @Test
    void enterAfterAFailureFollowsTheRunbooksBranch() throws IOException {
        Path rb = runbook("""
                id: RB-FOLLOW
                title: Follow
                severity: P2
                steps:
                  - id: health
                    shell: exit 7
                    on_failure: restart
                  - id: skipped
                    shell: echo skipped
                  - id: restart
                    shell: echo restarted
                """);
        CliRun r = walk(rb, "", "", "");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(Enter: go to step 'restart')");
        Events e = events();
        assertThat(e.finishedSteps()).containsExactly("health:failed", "restart:succeeded");
        assertThat(e.ofType("operator.decision"))
                .extracting(m -> m.get("choice"))
                .containsExactly("run", "goto:restart", "run");
    }

    @Test
    void chooseTakesANumberAndBranches() throws IOException {
        Path rb = runbook("""
                id: RB-CHOOSE
                title: Choose
                severity: P3
                steps:
                  - id: level
                    choose:
                      question: Niveau de l'incident ?
                      options:
                        - {label: Niveau 1, goto: n1}
                        - {label: Niveau 2, goto: n2}
                      default: Niveau 1
                  - id: n1
                    shell: echo n1
                    on_success: end
                  - id: n2
                    shell: echo n2
                """);
        CliRun r = walk(rb, "9", "2", "");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("1) Niveau 1")
                .contains("2) Niveau 2")
                .contains("Choose 1-2 (Enter: 1)")
                .contains("1-2 - take that option");
        Events e = events();
        assertThat(e.finishedSteps()).containsExactly("level:succeeded", "n2:succeeded");
        assertThat(e.ofType("operator.decision").get(0)).containsEntry("choice", "goto:n2");
    }

    @Test
    void inputsAreAskedBeforeStep1AndCheckedAgainstTheirPattern() throws IOException {
        Path rb = runbook("""
                id: RB-INPUT
                title: Input
                severity: P2
                inputs:
                  sha: {description: stable SHA, pattern: '^[0-9a-f]{7,40}$'}
                steps:
                  - id: deploy
                    shell: echo deploying ${inputs.sha}
                """);
        CliRun r = walk(rb, "not-a-sha", "a1b2c3d", "");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("Value for sha (stable SHA): ")
                .contains("does not match ^[0-9a-f]{7,40}$")
                .contains("│ deploying a1b2c3d");
        assertThat(events().ofType("incident.opened").get(0).get("inputs").toString())
                .contains("sha=a1b2c3d");
    }

    @Test
    void dangerousStepsNeedTheEnvironmentNameTyped() throws IOException {
        // the variable names a file in the test's directory (a bare name would land in the working directory)
        Path fromVar = dir.resolve("from-var");
        Files.writeString(
                dir.resolve("environments.yaml"), "environments:\n  staging: {vars: {x: '" + fromVar + "'}}\n");
        Path marker = dir.resolve("flushed");
        Path rb = runbook("""
                id: RB-DANGER
                title: Danger
                severity: P1
                steps:
                  - id: flush
                    dangerous: true
                    shell: touch %s ${env.x}
                """.formatted(marker));
        CliRun r = CliRun.with()
                .typing("", "prod", "", "staging")
                .run(
                        "run",
                        rb.toString(),
                        "--env",
                        "staging",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("step 'flush' is marked dangerous")
                .contains("Type 'staging' to run it")
                .contains("not confirmed: the step did not run");
        assertThat(marker).exists();
        assertThat(fromVar).as("${env.x} reached the command").exists();
        assertThat(events().ofType("operator.decision"))
                .extracting(m -> m.get("choice"))
                .containsExactly("run");
    }

    @Test
    void rollbackChosenAtThePromptRunsTheRollbackSection() throws IOException {
        Path rb = runbook("""
                id: RB-B
                title: B
                severity: P1
                steps:
                  - id: one
                    shell: echo one
                rollback:
                  - id: undo
                    shell: echo undo
                """);
        CliRun r = walk(rb, "b", "");
        assertThat(r.code()).isEqualTo(1);
        Events e = events();
        assertThat(e.ofType("rollback.started").get(0).get("reason").toString()).contains("operator");
        assertThat(e.finishedSteps()).containsExactly("undo:succeeded");
        assertThat(e.outcome()).isEqualTo("rolled_back");
    }

    @Test
    void endOfInputAtAPromptAbortsCleanly() throws IOException {
        Path rb = runbook(FOUR_STEPS);
        CliRun r = walk(rb, "");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("end of input: aborting");
        assertThat(events().outcome()).isEqualTo("aborted");
    }

    @Test
    void aCheckThatChangesThingsInAProtectedEnvironmentIsConfirmedOrTheServiceIsNotVerified() throws IOException {
        Files.writeString(dir.resolve("environments.yaml"), "environments:\n  prod: {protected: true}\n");
        Path checked = dir.resolve("checked");
        Path rb = runbook("""
                id: RB-PROT-VERIFY
                title: Protected verify
                severity: P1
                steps:
                  - id: look
                    http: 'GET http://127.0.0.1:9/unused'
                    on_failure: continue
                verify:
                  - id: probe
                    shell: touch %s
                """.formatted(checked));
        // Enter at the first step's prompt, then at its failure prompt (follow on_failure), then a
        // wrong name at the check's typed confirmation
        CliRun r = CliRun.with()
                .typing("", "", "staging")
                .run(
                        "run",
                        rb.toString(),
                        "--env",
                        "prod",
                        "--log-dir",
                        dir.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out())
                .contains("Type 'prod' to run it")
                .contains("UNRESOLVED")
                .contains("verify failed: check 'probe': not confirmed: the check did not run");
        assertThat(checked).doesNotExist();
        assertThat(events().ofType("operator.decision"))
                .extracting(m -> m.get("choice"))
                .endsWith("skip");
    }
}
