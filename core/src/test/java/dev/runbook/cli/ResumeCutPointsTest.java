package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Continue at the step after the last finished one, following the same branches": a runbook with
 * every kind of branch (on_failure continue, a choose's goto, retries, an on_failure goto, a
 * rollback) runs unattended to its end; then its log is cut after each of its events, as a kill
 * would leave it, and each cut is resumed. Every resumed walk must take the path of the whole run
 * and end with its outcome, in one intact chain.
 */
class ResumeCutPointsTest {

    @TempDir
    Path dir;

    static Stream<Arguments> runbooks() {
        return Stream.of(Arguments.of("branches", """
                        id: RB-CUTS
                        title: Branches
                        severity: P3
                        steps:
                          - id: probe
                            shell: echo probe
                          - id: flaky
                            shell: exit 1
                            on_failure: continue
                          - id: decide
                            choose:
                              question: Which way?
                              options:
                                - {label: fix, goto: fix}
                                - {label: other}
                              default: fix
                          - id: other
                            shell: echo never
                          - id: fix
                            shell: echo "fixed ${steps.probe.stdout}"
                          - id: twice
                            shell: exit 2
                            retry: {attempts: 2, delay: 10ms}
                            on_failure: finish
                          - id: jumped
                            shell: echo never
                          - id: finish
                            shell: echo finish
                        verify:
                          - id: ok
                            shell: test "${steps.fix.stdout}" = "fixed probe"
                        """, "resolved"), Arguments.of("rollback", """
                        id: RB-CUTS
                        title: Rollback
                        severity: P3
                        steps:
                          - id: change
                            shell: echo change
                          - id: breaks
                            shell: exit 1
                            on_failure: rollback
                          - id: never
                            shell: echo never
                        rollback:
                          - id: undo
                            shell: echo undo
                          - id: undo-more
                            shell: echo "undo ${steps.change.stdout}"
                        verify:
                          - id: ok
                            shell: "true"
                        """, "rolled_back"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runbooks")
    void everyCutResumesOnTheSamePath(String name, String yaml, String outcome) throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, yaml);
        Path whole = dir.resolve("whole");
        CliRun first = CliRun.run("run", rb.toString(), "--yes", "--log-dir", whole.toString());
        assertThat(first.code()).as(first.toString()).isEqualTo(outcome.equals("resolved") ? 0 : 1);
        Path log = CliRun.onlyLog(whole);
        List<String> lines = Files.readAllLines(log);
        List<String> expected = path(JournalReader.read(log));
        assertThat(expected).isNotEmpty();

        int tried = 0;
        for (int cut = 1; cut < lines.size(); cut++) {
            Path d = dir.resolve("cut-" + cut);
            Files.createDirectories(d);
            Path copy = d.resolve(log.getFileName());
            Files.write(copy, lines.subList(0, cut));
            CliRun r =
                    CliRun.run("resume", copy.toString(), "--yes", "--in-flight", "rerun", "--log-dir", d.toString());
            String at = "cut after event " + cut + " ("
                    + lines.get(cut - 1).replaceAll(".*\"type\":\"([a-z.]+)\".*", "$1") + "): " + r;
            assertThat(r.code()).as(at).isEqualTo(outcome.equals("resolved") ? 0 : 1);
            assertThat(JournalVerifier.verify(copy).ok()).as(at).isTrue();
            List<JournalReader.Event> events = JournalReader.read(copy);
            assertThat(path(events)).as(at).isEqualTo(expected);
            assertThat(events.get(events.size() - 1).str("outcome")).as(at).isEqualTo(outcome);
            tried++;
        }
        System.out.println("ResumeCutPointsTest " + name + ": " + tried + " cut points resumed, " + tried
                + " on the whole run's path");
    }

    /**
     * A masked value is never read back as if it were the real one: a rollback step reads the
     * stdout of a step that printed a secret (kept masked in the log). The log of a whole run is
     * cut after each event and resumed: where that step finished before the cut and the reader can
     * still run, resume refuses (exit 2) before writing anything, naming both steps; everywhere
     * else the resumed walk ends rolled back, on the whole run's path.
     */
    @org.junit.jupiter.api.Test
    void aCutThatWouldReadAMaskedValueIsRefusedEveryOtherResumes() throws Exception {
        Path rb = dir.resolve("masked.yaml");
        Files.writeString(rb, """
                id: RB-MASKED
                title: Masked
                severity: P3
                secrets: [RB_TOKEN]
                steps:
                  - id: dump
                    shell: echo "token ${secrets.RB_TOKEN}"
                  - id: breaks
                    shell: exit 1
                    on_failure: rollback
                rollback:
                  - id: undo
                    shell: echo undo
                  - id: notify
                    shell: echo "restored after ${steps.dump.stdout}"
                verify:
                  - id: ok
                    shell: test "${steps.dump.outcome}" = succeeded
                """);
        String token = "s3cr3t-token-4711";
        Path whole = dir.resolve("whole");
        CliRun first =
                CliRun.with().env("RB_TOKEN", token).run("run", rb.toString(), "--yes", "--log-dir", whole.toString());
        assertThat(first.code()).as(first.toString()).isEqualTo(1);
        Path log = CliRun.onlyLog(whole);
        List<String> lines = Files.readAllLines(log);
        assertThat(String.join("\n", lines)).doesNotContain(token);
        List<String> expected = path(JournalReader.read(log));
        assertThat(expected).containsSubsequence("dump", "breaks", "undo", "notify", "ok");

        int refused = 0;
        int resumed = 0;
        for (int cut = 1; cut < lines.size(); cut++) {
            Path d = dir.resolve("masked-cut-" + cut);
            Files.createDirectories(d);
            Path copy = d.resolve(log.getFileName());
            Files.write(copy, lines.subList(0, cut));
            CliRun r = CliRun.with()
                    .env("RB_TOKEN", token)
                    .run("resume", copy.toString(), "--yes", "--in-flight", "rerun", "--log-dir", d.toString());
            String at = "cut after event " + cut + ": " + r;
            List<JournalReader.Event> events = JournalReader.read(copy);
            boolean dumpDone =
                    events.stream().anyMatch(e -> EventType.STEP_FINISHED.is(e.type()) && "dump".equals(e.str("step")));
            boolean notifyDone = events.stream()
                    .anyMatch(e -> EventType.STEP_FINISHED.is(e.type()) && "notify".equals(e.str("step")));
            if (dumpDone && !notifyDone && r.code() == 2) {
                assertThat(r.err())
                        .as(at)
                        .contains("step 'notify' reads steps.dump.stdout, which is kept masked")
                        .contains("re-run step 'dump'");
                assertThat(Files.readAllLines(copy)).as(at).isEqualTo(lines.subList(0, cut));
                refused++;
                continue;
            }
            assertThat(r.code()).as(at).isEqualTo(1);
            assertThat(JournalVerifier.verify(copy).ok()).as(at).isTrue();
            assertThat(path(events)).as(at).isEqualTo(expected);
            assertThat(events.get(events.size() - 1).str("outcome")).as(at).isEqualTo("rolled_back");
            resumed++;
        }
        assertThat(refused).isPositive();
        assertThat(resumed).isPositive();
        System.out.println("ResumeCutPointsTest masked: " + (refused + resumed) + " cut points, " + refused
                + " refused (a masked value would be read), " + resumed + " resumed on the whole run's path");
    }

    /**
     * The walk's path: the step of each {@code step.finished} that is not the unknown outcome of a
     * cut step, with repeats in a row (retries, a re-run, checks run again) counted once.
     */
    private static List<String> path(List<JournalReader.Event> events) {
        List<String> out = new ArrayList<>();
        for (JournalReader.Event e : events) {
            if (!EventType.STEP_FINISHED.is(e.type())
                    || String.valueOf(e.str("error")).startsWith("outcome unknown")) {
                continue;
            }
            String step = e.str("step");
            if (out.isEmpty() || !out.get(out.size() - 1).equals(step)) {
                out.add(step);
            }
        }
        return out;
    }
}
