package dev.runbook.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionsTest {

    private static Scope scope() {
        Scope s = new Scope();
        s.putStep("health", Map.of("status", 503, "json", Map.of("db", "down")));
        s.putStep("restart-backend", Map.of("status", "succeeded"));
        s.putStep("q", Map.of("rows", List.of(Map.of("n", 0)), "row_count", 1));
        s.get("inputs").put("sha", "a1b2c3d");
        return s;
    }

    @Test
    void evaluatesContractExamples() {
        Map<String, Object> sc = scope().toMap();
        assertThat(Expressions.compile("steps.health.status != 200").test(sc)).isTrue();
        assertThat(Expressions.compile("steps.q.rows[0].n == 0").test(sc)).isTrue();
        assertThat(Expressions.compile("steps.restart-backend.status == 'succeeded'")
                        .test(sc))
                .isTrue();
        assertThat(Expressions.compile("inputs.sha =~ '^[0-9a-f]{7,40}$'").test(sc))
                .isTrue();
    }

    @Test
    void stepsThatHaveNotRunReadAsNull() {
        Map<String, Object> sc = scope().toMap();
        assertThat(Expressions.compile("steps.not-run.outcome == 'failed'").test(sc))
                .isFalse();
        assertThat(Expressions.compile("steps.not-run.outcome != 'succeeded'").test(sc))
                .isTrue();
        assertThat(Expressions.compile("steps.health.json.missing.deeper == 1").test(sc))
                .isFalse();
        assertThat(Expressions.compile("size(steps.q.rows) == 1 && !empty(inputs.sha)")
                        .test(sc))
                .isTrue();
        assertThat(Expressions.compile("steps.health.json.db.contains('do')").test(sc))
                .isTrue();
        assertThat(Expressions.compile("steps.nope.rows[0].n == 0").test(sc)).isFalse();
        assertThat(Expressions.compile("steps.nope.exit != 0").test(sc)).isTrue();
    }

    @Test
    void dashedIdsInsideStringsAreLeftAlone() {
        assertThat(Expressions.rewriteStepIds("steps.a-b.status == 'steps.c-d'"))
                .isEqualTo("steps['a-b'].status == 'steps.c-d'");
    }

    @Test
    void reportsVariablesAsPaths() {
        assertThat(Expressions.compile("steps.restart-backend.status == 'x' && inputs.sha != ''")
                        .variables())
                .contains(List.of("steps", "restart-backend", "status"), List.of("inputs", "sha"));
    }

    @Test
    void refusesSideEffectsAndJavaAccess() {
        assertThatThrownBy(() -> Expressions.compile("x = 1")).isInstanceOf(ExpressionException.class);
        assertThatThrownBy(() -> Expressions.compile("new('java.io.File', '/')"))
                .isInstanceOf(ExpressionException.class);
        Object v = null;
        try {
            v = Expressions.compile("''.getClass().forName('java.lang.Runtime')")
                    .evaluate(scope().toMap());
        } catch (ExpressionException expected) {
            v = "refused";
        }
        assertThat(v).as("Java reflection is not reachable").isIn("refused", null);
    }

    @Test
    void templatesRenderAsShellWordsAndSqlParameters() {
        Scope s = scope();
        s.get("inputs").put("evil", "x'; rm -rf / #");
        Masker m = new Masker();
        Renderer r = new Renderer(s.toMap(), m, false);
        ShellCommand sh = r.shell("echo ${inputs.evil}", false);
        assertThat(sh.script()).isEqualTo("echo \"${RUNBOOK_V1}\"");
        assertThat(sh.variables()).containsExactly(java.util.Map.entry("RUNBOOK_V1", "x'; rm -rf / #"));
        assertThat(sh.display()).isEqualTo("echo 'x'\"'\"'; rm -rf / #'");
        Rendered q = r.sql("SELECT * FROM t WHERE name = ${inputs.evil}");
        assertThat(q.text()).isEqualTo("SELECT * FROM t WHERE name = ?");
        assertThat(q.params()).containsExactly("x'; rm -rf / #");
        assertThat(r.text("$${literal} ${inputs.sha}").text()).isEqualTo("${literal} a1b2c3d");
    }

    @Test
    void shellValuesTravelAsVariablesInsideQuotesToo() throws Exception {
        Scope s = scope();
        java.nio.file.Path pwned = java.nio.file.Files.createTempDirectory("q").resolve("pwned");
        String evil = "a'b\"c $(touch " + pwned + ") `touch " + pwned + "` \\ $HOME";
        s.get("inputs").put("v", evil);
        Renderer r = new Renderer(s.toMap(), new Masker(), false);
        for (String cmd : java.util.List.of(
                "printf %s ${inputs.v}",
                "printf %s \"${inputs.v}\"",
                "printf %s \"pre ${inputs.v} post\"",
                "printf %s \"$(printf %s ${inputs.v})\"",
                "x=$(printf '%s' \"${inputs.v}\"); printf %s \"$x\"")) {
            ShellCommand sh = r.shell(cmd, false);
            assertThat(sh.script()).as(cmd).doesNotContain(evil);
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", sh.script()).redirectErrorStream(true);
            pb.environment().putAll(sh.variables());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(cmd).isZero();
            assertThat(out).as(cmd).contains(evil);
        }
        assertThat(pwned).doesNotExist();
        assertThatThrownBy(() -> r.shell("echo `cat ${inputs.v}`", false))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("is inside backticks");
        assertThatThrownBy(() -> r.shell("printf %s '${inputs.v}'", false))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("is inside single quotes");
    }

    @Test
    void aValueThatStartsWithADashMayNotBeginAWordUnlessAfterDoubleDashOrAllowed() {
        Scope s = scope();
        s.get("inputs").put("f", "-o/tmp/x");
        Renderer r = new Renderer(s.toMap(), new Masker(), false);
        assertThatThrownBy(() -> r.shell("sort ${inputs.f}", false))
                .isInstanceOf(ExpressionException.class)
                .hasMessageContaining("starts with '-'")
                .hasMessageContaining("write -- before it");
        assertThatThrownBy(() -> r.shell("sort \"${inputs.f}\"", false)).isInstanceOf(ExpressionException.class);
        assertThat(r.shell("sort -- ${inputs.f}", false).variables()).containsValue("-o/tmp/x");
        assertThat(r.shell("sort --output=${inputs.f}", false).script()).isEqualTo("sort --output=\"${RUNBOOK_V1}\"");
        assertThat(r.shell("sort ${inputs.f}", true).script()).isEqualTo("sort \"${RUNBOOK_V1}\"");
    }
}
