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
