package dev.runbook.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.load.Library;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Runbook;
import dev.runbook.model.Severity;
import dev.runbook.model.Step;
import dev.runbook.testing.CliRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library's rules of runbooks/README.md: every P1/P2 and rollback runbook declares how it
 * verifies the service ({@code validate --strict}, as CI runs it), and every destructive step is
 * {@code dangerous: true} (one rule, written as patterns below).
 */
class LibraryRulesTest {

    private static final Path LIBRARY = Path.of("runbooks");

    /**
     * What destroys, per runbooks/README.md "dangerous": restores and resets, FLUSHDB, rollbacks
     * (rollout undo, git checkout/push/revert of a release, the CI rollback dispatch), disabling a
     * feature or a flag, editing {@code .env} on the servers, deleting or dropping data.
     */
    private static final List<Pattern> DESTRUCTIVE = Stream.of(
                    "pg_restore",
                    "supabase\\s+db\\s+reset",
                    "\\bflush(db|all)\\b",
                    "rollout\\s+undo",
                    "git\\s+(checkout|push|revert)",
                    "/dispatches\\b",
                    "update_feature_flag\\([^)]*,\\s*false",
                    "set\\s+is_enabled\\s*=\\s*false",
                    ">>\\s*\\.env\\b",
                    "sed\\s+-i[^|&;]*\\.env\\b",
                    "\\b(drop|truncate)\\s+(table|database|schema)",
                    "\\bdelete\\s+from\\b")
            .map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE))
            .toList();

    @Test
    void theLibraryPassesValidateStrict() {
        CliRun r = CliRun.run("validate", "--strict", LIBRARY.toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).doesNotContain("✗");
    }

    @Test
    void strictRefusesAP1WithoutVerify(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path rb = dir.resolve("p1.yaml");
        java.nio.file.Files.writeString(
                rb, "id: P1-NO-VERIFY\ntitle: t\nseverity: P1\nsteps:\n  - id: a\n    shell: echo ok\n");

        CliRun r = CliRun.run("validate", "--strict", rb.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("P1-NO-VERIFY is P1 and has no verify section");
        assertThat(CliRun.run("validate", rb.toString()).code())
                .as("without --strict")
                .isZero();
    }

    @Test
    void everyUrgentOrRollbackRunbookVerifies() throws Exception {
        Library lib = Library.load(List.of(LIBRARY));
        List<String> missing = new ArrayList<>();
        for (Runbook rb : lib.runbooks().values()) {
            boolean urgent = rb.severity() == Severity.P1 || rb.severity() == Severity.P2;
            boolean rollback = rb.id().contains("ROLLBACK") || rb.tags().contains("rollback");
            if ((urgent || rollback) && !rb.verifies()) {
                missing.add(rb.id());
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everyDestructiveStepIsDangerous() throws Exception {
        Library lib = Library.load(List.of(LIBRARY));
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        int destructive = 0;
        for (Runbook rb : lib.runbooks().values()) {
            for (Step s :
                    Stream.concat(rb.steps().stream(), rb.rollback().stream()).toList()) {
                String text = text(s.action());
                if (text == null) {
                    continue;
                }
                checked++;
                boolean destroys =
                        DESTRUCTIVE.stream().anyMatch(p -> p.matcher(text).find());
                if (destroys) {
                    destructive++;
                    if (!s.dangerous()) {
                        wrong.add(rb.id() + " " + s.id() + ": " + text.replaceAll("\\s+", " "));
                    }
                }
            }
        }
        assertThat(wrong).as("destructive steps without dangerous: true").isEmpty();
        assertThat(checked).as("executable steps checked").isGreaterThan(100);
        assertThat(destructive).as("destructive steps found").isGreaterThan(15);
    }

    /** The text a step acts with: its command, query, or method and URL; null for the others. */
    private static String text(ActionSpec a) {
        if (a instanceof ActionSpec.Shell sh) {
            return sh.command();
        }
        if (a instanceof ActionSpec.Ssh ssh) {
            return ssh.command();
        }
        if (a instanceof ActionSpec.Sql sql) {
            return sql.query();
        }
        if (a instanceof ActionSpec.Http h) {
            return h.method() + " " + h.url();
        }
        return null;
    }
}
