package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.load.RunbookLoader;
import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional top-level key {@code drill: {fault, allow_dangerous, inputs}}: read strictly. */
class DrillKeyTest {

    @TempDir
    Path tmp;

    private Path runbook(String drill) throws Exception {
        Path f = tmp.resolve("rb.yaml");
        Files.writeString(
                f,
                "id: DRILL-KEY\ntitle: t\nseverity: P3\n" + drill
                        + "steps:\n  - id: a\n    title: a\n    notify: hello\n");
        return f;
    }

    @Test
    void aDrillIsReadWithItsFaultAndAllowDangerous() throws Exception {
        var rb = RunbookLoader.load(runbook("drill: {fault: api-down, allow_dangerous: true}\n"));
        assertThat(rb.drills().get(0).fault()).isEqualTo("api-down");
        assertThat(rb.drills().get(0).allowDangerous()).isTrue();
        assertThat(rb.drills().get(0).inputs()).isEmpty();
        assertThat(RunbookLoader.load(runbook("")).drills()).isEmpty();
    }

    @Test
    void drillInputsMustBeInputsOfTheRunbook() throws Exception {
        var rb = RunbookLoader.load(
                runbook("inputs:\n  dir: {default: .}\n" + "drill: {fault: api-down, inputs: {dir: .sandbox/work}}\n"));
        assertThat(rb.drills().get(0).inputs()).containsExactly(java.util.Map.entry("dir", ".sandbox/work"));

        CliRun r = CliRun.run(
                "validate",
                runbook("drill: {fault: api-down, inputs: {nope: x}}\n").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out() + r.err()).contains("drill input 'nope' is not one of the runbook's inputs");
    }

    @Test
    void unknownKeysAndAMissingFaultAreRefused() throws Exception {
        CliRun r = CliRun.run("validate", runbook("drill: {faults: api-down}\n").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out() + r.err())
                .contains("unknown key 'faults' in drill (expected one of: allow_dangerous, fault, inputs)")
                .contains("drill is missing required key 'fault'");
    }
}
