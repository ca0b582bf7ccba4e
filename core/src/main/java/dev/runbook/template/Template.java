package dev.runbook.template;

import java.util.ArrayList;
import java.util.List;

/**
 * A string with {@code ${ ... }} templates; {@code $${} is a literal {@code ${}
 * (contract, "Templates and expressions"). Parsing splits it into literal text and
 * compiled expressions; {@link Renderer} turns it into text, a shell command or SQL.
 */
public final class Template {

    /** A piece of a template: literal text or an expression. */
    public sealed interface Part {}

    /** Literal text, copied as is. */
    public record Text(String text) implements Part {}

    /** A {@code ${...}} expression. */
    public record Expr(Expressions.Expression expression) implements Part {}

    private final String source;
    private final List<Part> parts;

    private Template(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses a template.
     *
     * @param source the string as written; null gives an empty template
     * @return the parsed template
     * @throws ExpressionException when a {@code ${} is not closed or an expression does not parse
     */
    public static Template parse(String source) {
        String s = source == null ? "" : source;
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("$${", i)) {
                text.append("${");
                i += 3;
            } else if (s.startsWith("${", i)) {
                int end = closingBrace(s, i + 2);
                if (end < 0) {
                    throw new ExpressionException("unclosed '${' in '" + s + "'");
                }
                String expr = s.substring(i + 2, end).trim();
                if (expr.isEmpty()) {
                    throw new ExpressionException("empty '${}' in '" + s + "'");
                }
                if (text.length() > 0) {
                    parts.add(new Text(text.toString()));
                    text.setLength(0);
                }
                parts.add(new Expr(Expressions.compile(expr)));
                i = end + 1;
            } else {
                text.append(s.charAt(i++));
            }
        }
        if (text.length() > 0) {
            parts.add(new Text(text.toString()));
        }
        return new Template(s, parts);
    }

    /** Index of the '}' closing a template whose body starts at {@code from}, or -1. */
    private static int closingBrace(String s, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != c) {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                i = j;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i;
                }
                depth--;
            }
        }
        return -1;
    }

    /** The parts in order. */
    public List<Part> parts() {
        return parts;
    }

    /** The template as written. */
    public String source() {
        return source;
    }

    /** True when the template has at least one expression. */
    public boolean hasExpressions() {
        return parts.stream().anyMatch(p -> p instanceof Expr);
    }

    /** Every name path the template's expressions read ({@code [inputs, sha]}). */
    public List<List<String>> variables() {
        List<List<String>> out = new ArrayList<>();
        for (Part p : parts) {
            if (p instanceof Expr e) {
                out.addAll(e.expression().variables());
            }
        }
        return out;
    }

    /**
     * The names read under one root: {@code names("vars")} of {@code ${vars.a}-${vars.b.c}} is
     * {@code [a, b]}.
     *
     * @param root a root of the scope ({@code vars}, {@code secrets}, {@code steps}…)
     * @return the second component of each reference to that root, in order, each once
     */
    public java.util.Set<String> names(String root) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (List<String> v : variables()) {
            if (v.size() > 1 && v.get(0).equals(root)) {
                out.add(v.get(1));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return source;
    }
}
