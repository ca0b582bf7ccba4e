package dev.runbook.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlException;
import org.apache.commons.jexl3.JexlFeatures;
import org.apache.commons.jexl3.JexlScript;
import org.apache.commons.jexl3.MapContext;
import org.apache.commons.jexl3.introspection.JexlPermissions;

/**
 * The expression language of {@code when}, {@code check}, {@code retry.until} and
 * {@code ${...}} templates: Apache Commons JEXL 3, restricted to side-effect-free
 * expressions (no assignment, loops, lambdas, {@code new}, or access to Java classes
 * outside {@link JexlPermissions#RESTRICTED}). Navigation is null-safe: a step that has not
 * run, or a missing field, reads as null ({@code steps.x.outcome == 'failed'} is false).
 *
 * <p>Step ids that are not plain identifiers ({@code restart-backend}) work as written:
 * {@code steps.restart-backend.status} is read as {@code steps['restart-backend'].status}
 * (contract, "Templates and expressions").
 */
public final class Expressions {

    private static final JexlEngine JEXL = new JexlBuilder()
            .permissions(JexlPermissions.RESTRICTED)
            .features(new JexlFeatures()
                    .sideEffect(false)
                    .sideEffectGlobal(false)
                    .loops(false)
                    .lambda(false)
                    .newInstance(false)
                    .localVar(false)
                    .script(false)
                    .annotation(false)
                    .pragma(false)
                    .importPragma(false)
                    .namespacePragma(false))
            .strict(false)
            .safe(true)
            .silent(false)
            .cache(512)
            .collectMode(1)
            // JEXL's debug notes are no business of the operator's, and starting SLF4J for them is
            // start-up time (validate of the library, issue 12)
            .logger(new org.apache.commons.logging.impl.NoOpLog())
            .create();

    /** {@code steps.<segment>} where the segment is not a JEXL identifier (has '-' or starts with a digit). */
    private static final Pattern STEP_REF =
            Pattern.compile("\\bsteps\\.((?:[A-Za-z0-9_]+-)+[A-Za-z0-9_]+|[0-9][A-Za-z0-9_]*)");

    private Expressions() {}

    /**
     * Compiles an expression.
     *
     * @param source the expression as written in the runbook
     * @return the compiled expression
     * @throws ExpressionException when it does not parse or uses a forbidden feature
     */
    public static Expression compile(String source) {
        String rewritten = rewriteStepIds(source);
        try {
            JexlScript script = JEXL.createScript(rewritten);
            List<List<String>> vars = new ArrayList<>(script.getVariables());
            return new Expression(source, script, vars);
        } catch (JexlException e) {
            throw new ExpressionException("invalid expression '" + source + "': " + reason(e));
        }
    }

    static String rewriteStepIds(String source) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        // Only outside string literals.
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfString(source, i);
                out.append(source, i, end);
                i = end;
                continue;
            }
            int next = nextQuote(source, i);
            Matcher m = STEP_REF.matcher(source.substring(i, next));
            StringBuilder chunk = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(chunk, Matcher.quoteReplacement("steps['" + m.group(1) + "']"));
            }
            m.appendTail(chunk);
            out.append(chunk);
            i = next;
        }
        return out.toString();
    }

    private static int nextQuote(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == '\'' || s.charAt(i) == '"') {
                return i;
            }
        }
        return s.length();
    }

    private static int endOfString(String s, int start) {
        char q = s.charAt(start);
        for (int i = start + 1; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
            } else if (s.charAt(i) == q) {
                return i + 1;
            }
        }
        return s.length();
    }

    static String reason(JexlException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        // JEXL starts its messages with the Java method and the position: "a.b.C.m:54@1:1 what".
        return m.replaceFirst("^\\S+@\\d+:\\d+(:\\d+)?\\s+", "")
                .replaceAll("\\s+", " ")
                .trim();
    }

    /**
     * A compiled expression.
     *
     * @param source the expression as written
     * @param variables the names it reads, as paths ({@code [steps, health, status]})
     */
    public record Expression(String source, JexlScript script, List<List<String>> variables) {

        /**
         * Evaluates the expression.
         *
         * @param scope the names in scope (see {@link Scope})
         * @return the value (Boolean, Number, String, List, Map or null)
         * @throws ExpressionException when evaluation fails (unknown name, null operand…)
         */
        public Object evaluate(Map<String, Object> scope) {
            try {
                return script.execute(new MapContext(scope));
            } catch (JexlException e) {
                throw new ExpressionException("'" + source + "': " + reason(e));
            }
        }

        /**
         * Evaluates the expression as a condition: {@code null} is false, other values follow
         * JEXL's truth rules (empty string, zero and empty collections are false).
         *
         * @throws ExpressionException when evaluation fails
         */
        public boolean test(Map<String, Object> scope) {
            Object v = evaluate(scope);
            if (v == null) {
                return false;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            try {
                return JEXL.getArithmetic().toBoolean(v);
            } catch (RuntimeException e) {
                throw new ExpressionException("'" + source + "' gave " + v + ", not true or false");
            }
        }
    }
}
