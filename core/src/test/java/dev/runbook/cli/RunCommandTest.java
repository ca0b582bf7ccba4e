package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook run} end to end, in-process, with real processes. */
class RunCommandTest {

    @TempDir
    Path dir;

    private Path logs() {
        return dir.resolve("logs");
    }

    private Path runbook(String yaml) throws IOException {
        Path p = dir.resolve("rb.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private CliRun yes(Path rb, String... more) {
        return CliRun.with().run(args(rb, "--yes", more));
    }

    private String[] args(Path rb, String mode, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("run", rb.toString(), mode, "--log-dir", logs().toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private Events events() throws IOException {
        Path log = CliRun.onlyLog(logs());
        assertThat(JournalVerifier.verify(log).ok()).as("hash chain of " + log).isTrue();
        return Events.of(log);
    }

    @Test
    void onFailureBranchesToAStepAndOnSuccessEndsTheRun() throws IOException {
        Path rb = runbook("""
                id: RB-BRANCH
                title: Branching
                severity: P1
                steps:
                  - id: probe
                    shell: exit 3
                    on_failure: fix
                  - id: never
                    shell: echo never
                  - id: fix
                    shell: echo fixed
                    on_success: end
                  - id: after-end
                    shell: echo after
                """);
        CliRun r = yes(rb);
        assertThat(r.code()).as(r.toString()).isZero();
        Events e = events();
        assertThat(e.finishedSteps()).containsExactly("probe:failed", "fix:succeeded");
        assertThat(e.outcome()).isEqualTo("resolved");
        assertThat(e.types().get(0)).isEqualTo("incident.opened");
        assertThat(r.out()).contains("going to step 'fix'").contains("RESOLVED");
    }

    @Test
    void resultsFlowBetweenStepsThroughTemplatesAndWhen() throws IOException {
        Path rb = runbook("""
                id: RB-FLOW
                title: Flow
                severity: P2
                steps:
                  - id: count
                    shell: echo 42
                  - id: use
                    shell: echo "got" ${steps.count.stdout.trim()}
                    expect: {stdout_contains: got 42}
                  - id: skipped-one
                    when: steps.count.exit != 0
                    shell: echo no
                  - id: checked
                    shell: echo '{"n":0}'
                    check: steps.use.outcome == 'succeeded' && steps.count.status == 'succeeded'
                """);
        CliRun r = yes(rb);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(events().finishedSteps())
                .containsExactly("count:succeeded", "use:succeeded", "skipped-one:skipped", "checked:succeeded");
        assertThat(r.out()).contains("│ got 42");
    }

    @Test
    void retryUntilRepeatsTheStepUntilTheConditionHolds() throws IOException {
        Path counter = dir.resolve("counter");
        Path rb = runbook("""
                id: RB-RETRY
                title: Retry
                severity: P3
                vars: {file: '%s'}
                steps:
                  - id: poll
                    shell: echo x >> ${vars.file}; wc -l < ${vars.file}
                    retry: {attempts: 5, delay: 10ms, until: "steps.poll.stdout.trim() == '3'"}
                """.formatted(counter));
        CliRun r = yes(rb);
        assertThat(r.code()).as(r.toString()).isZero();
        Events e = events();
        assertThat(e.finishedSteps()).containsExactly("poll:failed", "poll:failed", "poll:succeeded");
        assertThat(e.ofType("step.started")).extracting(m -> m.get("attempt")).containsExactly(1, 2, 3);
        assertThat(Files.readAllLines(counter)).hasSize(3);
    }

    @Test
    void aStepPastItsTimeoutIsTimedOutAndItsProcessKilled() throws IOException {
        Path rb = runbook("""
                id: RB-TIMEOUT
                title: Timeout
                severity: P3
                steps:
                  - id: hang
                    shell: sleep 30
                    timeout: 300ms
                    on_failure: continue
                  - id: next
                    shell: echo next
                """);
        CliRun r = yes(rb);
        assertThat(r.code()).as(r.toString()).isZero();
        Events e = events();
        assertThat(e.finishedSteps()).containsExactly("hang:timed_out", "next:succeeded");
        assertThat(((Number) e.ofType("step.finished").get(0).get("duration_ms")).longValue())
                .isLessThan(10_000);
    }

    @Test
    void aFailureTurnsToTheRollbackSection() throws IOException {
        Path rb = runbook("""
                id: RB-ROLLBACK
                title: Rollback
                severity: P1
                steps:
                  - id: deploy
                    shell: echo deploying
                  - id: verify
                    shell: exit 1
                    on_failure: rollback
                  - id: not-reached
                    shell: echo no
                rollback:
                  - id: undo
                    shell: echo undone
                """);
        CliRun r = yes(rb);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        Events e = events();
        assertThat(e.finishedSteps()).containsExactly("deploy:succeeded", "verify:failed", "undo:succeeded");
        assertThat(e.types())
                .containsSubsequence("rollback.started", "step.started", "rollback.finished", "incident.closed");
        assertThat(e.ofType("rollback.finished").get(0)).containsEntry("status", "succeeded");
        assertThat(e.outcome()).isEqualTo("rolled_back");
    }

    @Test
    void onFailureAbortEndsTheRunFailedWithExit1() throws IOException {
        Path rb = runbook("""
                id: RB-ABORT
                title: Abort
                severity: P1
                steps:
                  - id: broken
                    shell: echo oops >&2; exit 2
                  - id: not-reached
                    shell: echo no
                """);
        CliRun r = yes(rb);
        assertThat(r.code()).isEqualTo(1);
        Events e = events();
        assertThat(e.finishedSteps()).containsExactly("broken:failed");
        assertThat(e.ofType("step.finished").get(0).get("error").toString()).contains("exit");
        assertThat(e.outcome()).isEqualTo("failed");
    }

    @Test
    void secretsAreMaskedOnScreenAndInTheLog() throws IOException {
        Path rb = runbook("""
                id: RB-SECRET
                title: Secret
                severity: P2
                secrets: [API_TOKEN]
                steps:
                  - id: use
                    shell: echo token=${secrets.API_TOKEN}; echo raw=$API_TOKEN
                    expect: {stdout_contains: 'token='}
                """);
        CliRun r = CliRun.with().env("API_TOKEN", "s3cr3t-value-42").run(args(rb, "--yes"));
        assertThat(r.code()).as(r.toString()).isZero();
        String log = Files.readString(CliRun.onlyLog(logs()));
        assertThat(r.out()).doesNotContain("s3cr3t-value-42").contains("token=****");
        assertThat(log).doesNotContain("s3cr3t-value-42").contains("****");
    }

    @Test
    void aMissingSecretStopsTheRunBeforeAnythingRuns() throws IOException {
        Path marker = dir.resolve("ran");
        Path rb = runbook("""
                id: RB-NOSECRET
                title: No secret
                severity: P2
                secrets: [MISSING_TOKEN]
                steps:
                  - id: use
                    shell: touch %s
                """.formatted(marker));
        CliRun r = yes(rb);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("secret MISSING_TOKEN is not set");
        assertThat(marker).doesNotExist();
        assertThat(logs()).doesNotExist();
    }

    @Test
    void shellInjectionThroughAnInputDoesNotInject() throws IOException {
        Path pwned = dir.resolve("pwned");
        Path rb = runbook("""
                id: RB-INJECT
                title: Injection
                severity: P1
                inputs:
                  name: {description: a name}
                steps:
                  - id: greet
                    shell: echo hello ${inputs.name}
                """);
        String evil = "x'; touch " + pwned + "; echo '";
        CliRun r = yes(rb, "--var", "name=" + evil, "--var", "name=" + evil + " $(touch " + pwned + ")");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(pwned).doesNotExist();
        assertThat(r.out()).contains("│ hello " + evil + " $(touch " + pwned + ")");
    }

    @Test
    void dryRunTouchesNothingAndLogsThePlan() throws IOException {
        Path marker = dir.resolve("touched");
        Path rb = runbook("""
                id: RB-DRY
                title: Dry
                severity: P1
                inputs:
                  target: {default: web}
                steps:
                  - id: first
                    shell: touch %s ${inputs.target}
                  - id: second
                    shell: echo ${steps.first.stdout}
                """.formatted(marker));
        CliRun r = CliRun.with().run(args(rb, "--dry-run"));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(marker).doesNotExist();
        assertThat(r.out())
                .contains("touch " + marker + " web")
                .contains("echo <steps.first.stdout>")
                .contains("the plan is valid");
        Events e = events();
        assertThat(e.ofType("incident.opened").get(0)).containsEntry("mode", "dry-run");
        assertThat(e.finishedSteps()).containsExactly("first:skipped", "second:skipped");
    }

    @Test
    void withoutATerminalAndWithoutYesTheRunIsRefused() throws IOException {
        Path rb = runbook("id: RB-TTY\ntitle: T\nseverity: P4\nsteps: [{id: a, shell: echo}]\n");
        CliRun r = CliRun.run("run", rb.toString(), "--log-dir", logs().toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("standard input is not a terminal: give --yes");
    }

    @Test
    void unattendedRunsSkipManualStepsTakeChooseDefaultsAndRefuseDangerousSteps() throws IOException {
        Path rb = runbook("""
                id: RB-AUTO
                title: Auto
                severity: P2
                steps:
                  - id: call-dba
                    manual: Call the DBA
                  - id: pick
                    choose:
                      question: Which way?
                      options: [{label: left, goto: left}, {label: right, goto: right}]
                      default: right
                  - id: left
                    shell: echo left
                  - id: right
                    shell: echo right
                  - id: flush
                    dangerous: true
                    shell: echo flushed
                """);
        CliRun r = yes(rb);
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        Events e = events();
        assertThat(e.finishedSteps())
                .containsExactly("call-dba:skipped", "pick:succeeded", "right:succeeded", "flush:failed");
        assertThat(e.ofType("operator.decision"))
                .extracting(m -> m.get("choice") + "/" + m.get("reason"))
                .containsExactly("skip/unattended", "goto:right/unattended: default 'right'");
        assertThat(e.ofType("step.finished").get(3).get("error").toString()).contains("--allow-dangerous");

        Files.delete(CliRun.onlyLog(logs()));
        CliRun allowed = yes(rb, "--allow-dangerous");
        assertThat(allowed.code()).as(allowed.toString()).isZero();
        assertThat(allowed.out()).contains("│ flushed");
    }

    @Test
    void aChooseWithoutDefaultCannotRunUnattended() throws IOException {
        Path rb = runbook("""
                id: RB-NODEFAULT
                title: T
                severity: P2
                steps:
                  - id: pick
                    choose: {question: Q, options: [a, b]}
                """);
        CliRun r = yes(rb);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(rb + ":6:13: step 'pick' is a choose without 'default'");
        assertThat(logs()).doesNotExist();
    }

    @Test
    void aProtectedEnvironmentRefusesYes() throws IOException {
        Files.writeString(dir.resolve("environments.yaml"), """
                environments:
                  prod: {protected: true, vars: {api_url: 'https://api.example.com'}}
                """);
        Path rb = runbook("id: RB-PROT\ntitle: T\nseverity: P1\nsteps: [{id: a, shell: 'echo ${env.api_url}'}]\n");
        CliRun r = yes(rb, "--env", "prod");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("environment 'prod' is protected: --yes is refused");
    }

    @Test
    void theLogHoldsTheContractFields() throws IOException {
        Path rb = runbook("""
                id: RB-FIELDS
                title: Fields
                severity: P2
                sla: {respond: 5m, resolve: 30m}
                steps:
                  - id: one
                    shell: echo one
                """);
        CliRun r = CliRun.with().run(args(rb, "--yes", "--operator", "alice"));
        assertThat(r.code()).isZero();
        Events e = events();
        Map<String, Object> opened = e.ofType("incident.opened").get(0);
        assertThat(opened)
                .containsKeys("runbook", "env", "mode", "operator", "host", "inputs", "tool_version")
                .containsEntry("operator", "alice")
                .containsEntry("mode", "auto");
        assertThat(opened.get("runbook")).asString().contains("id=RB-FIELDS").contains("sha256=");
        assertThat(e.all())
                .allSatisfy(ev -> assertThat(ev.fields()).containsKeys("seq", "ts", "type", "incident", "prev"));
        assertThat(e.all().get(0).str("prev")).isEqualTo("0".repeat(64));
        assertThat(e.all().get(0).str("ts")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(e.ofType("step.started").get(0))
                .containsEntry("target", "echo one")
                .containsEntry("action", "shell");
        assertThat(CliRun.onlyLog(logs()).getFileName().toString()).matches("\\d{8}T\\d{6}Z-RB-FIELDS\\.jsonl");
    }

    @Test
    void aDryRunWhoseStepCannotResolveSaysThePlanIsNotValid() throws IOException {
        Path rb = runbook("""
                id: RB-DRY-BAD
                title: Dry bad
                severity: P3
                inputs:
                  f: {description: a file}
                steps:
                  - id: sort
                    shell: sort ${inputs.f}
                rollback:
                  - id: undo
                    shell: echo undo
                """);

        CliRun r = CliRun.run("run", rb.toString(), "--dry-run", "--var", "f=-o/tmp/x", "--log-dir", logs().toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out())
                .contains("starts with '-'")
                .contains("the plan is NOT valid")
                .contains("rollback section");
        assertThat(events().finishedSteps()).containsExactly("sort:skipped", "undo:skipped");
    }
}
