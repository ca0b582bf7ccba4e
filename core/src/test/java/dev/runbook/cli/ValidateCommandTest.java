package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, yaml);
        return p;
    }

    @Test
    void theLibraryInTheRepositoryIsValid() {
        CliRun r = CliRun.run("validate", "runbooks");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("✓ runbooks/akig/rb-p1-001").doesNotContain("✗");
    }

    /** An inventory named as a PATH is checked as an inventory, alone or beside runbooks. */
    @Test
    void anInventoryNamedOnTheCommandLineIsCheckedAsOne() throws IOException {
        CliRun lib = CliRun.run("validate", "runbooks/environments.yaml");
        assertThat(lib.code()).as(lib.toString()).isZero();
        assertThat(lib.out())
                .contains("✓ runbooks/environments.yaml  (inventory)")
                .contains("1 inventory file(s) valid")
                .doesNotContain("in runbook");

        Path bad = Files.createDirectories(dir.resolve("ops")).resolve("environments.yml");
        Files.writeString(bad, "environments:\n  prod:\n    hostz: {}\n");
        Path rb = write("rb.yaml", "id: RB-A\ntitle: t\nseverity: P3\nsteps: [{id: a, shell: echo}]\n");
        CliRun r = CliRun.run("validate", rb.toString(), bad.toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out())
                .contains("✓ " + rb + "  (RB-A)")
                .contains("✗ " + bad + "  (inventory)")
                .contains(bad + ":3:5: unknown key 'hostz' in environment 'prod'");
    }

    @Test
    void unknownKeyIsReportedWithLineAndColumn() throws IOException {
        Path f = write("a.yaml", """
                id: RB-1
                title: T
                severity: P1
                steps:
                  - id: one
                    shell: echo hi
                    retries: 3
                """);
        CliRun r = CliRun.run("validate", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("✗ " + f).contains(f + ":7:5: unknown key 'retries' in step #1");
    }

    @Test
    void duplicateStepIdAndDanglingGotoAreReported() throws IOException {
        Path f = write("b.yaml", """
                id: RB-2
                title: T
                severity: P2
                steps:
                  - id: one
                    shell: echo one
                    on_failure: nowhere
                  - id: one
                    shell: echo two
                rollback:
                  - id: undo
                    manual: Undo it
                """);
        CliRun r = CliRun.run("validate", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains(f + ":7:17: step 'one' on_failure goes to 'nowhere'")
                .contains(f + ":8:9: duplicate step id 'one' (first at line 5)");
    }

    @Test
    void duplicateYamlKeyAndBadYamlAreReported() throws IOException {
        Path dup = write("c.yaml", "id: RB-3\ntitle: T\ntitle: U\nseverity: P3\nsteps: []\n");
        Path bad = write("d.yaml", "id: RB-4\ntitle: [unclosed\n");
        CliRun r = CliRun.run("validate", dup.toString(), bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains(dup + ":3:1: duplicate key 'title' (first at line 2)")
                .containsPattern(java.util.regex.Pattern.quote(bad.toString()) + ":\\d+:\\d+: invalid YAML");
    }

    @Test
    void templatesAndActionsAreChecked() throws IOException {
        Path f = write("e.yaml", """
                id: RB-5
                title: T
                severity: P4
                secrets: [TOKEN]
                steps:
                  - id: one
                    shell: echo ${inputs.missing} ${secrets.TOKEN}
                  - id: two
                    http: http://x
                    shell: echo both
                  - id: three
                    when: steps.nope.status == 200
                    wait: 1s
                  - id: four
                  - id: five
                    shell: echo `cat ${secrets.TOKEN}`
                """);
        CliRun r = CliRun.run("validate", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains(f + ":7:12: step 'one' shell: unknown input 'missing' in 'inputs.missing'")
                .contains(f + ":10:5: step 'two' has several actions (http, shell): give exactly one")
                .contains(f + ":12:11: step 'three' when: unknown step 'nope'")
                .contains("step 'four' has no action")
                .contains(f + ":16:12: step 'five' shell: template ${secrets.TOKEN} is inside backticks");
    }

    @Test
    void idsMustBeUniqueAcrossTheLibrary() throws IOException {
        write("x.yaml", "id: SAME\ntitle: X\nseverity: P1\nsteps: [{id: a, wait: 1s}]\n");
        write("y.yaml", "id: SAME\ntitle: Y\nseverity: P1\nsteps: [{id: a, wait: 1s}]\n");
        CliRun r = CliRun.run("validate", dir.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("runbook id 'SAME' is also the id of " + dir.resolve("x.yaml"));
    }

    @Test
    void runRefusesAnInvalidRunbookWithExit2AndWritesNoLog() throws IOException {
        Path f =
                write("f.yaml", "id: RB-6\ntitle: T\nseverity: P1\nsteps:\n  - id: a\n    shell: echo\n    bogus: 1\n");
        Path logs = dir.resolve("logs");
        CliRun r = CliRun.run("run", f.toString(), "--yes", "--log-dir", logs.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains(f + ":7:5: unknown key 'bogus'")
                .contains("nothing was run")
                .doesNotContain("Exception");
        assertThat(logs).doesNotExist();
    }
}
