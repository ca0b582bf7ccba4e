package dev.runbook.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders templates over a scope, in the three ways the contract asks for
 * ("Injection-safe by construction"): plain text, a shell command whose values travel as
 * variables beside it ({@link ShellCommand}), and SQL where each value is a bind parameter.
 *
 * <p>In plan mode (dry-run), expressions that read {@code steps.*} are not evaluated:
 * they render as a placeholder {@code <steps.x.y>}, since no step has run; so do those
 * that read {@code env.*} when the plan has no environment ({@code runbook show}).
 */
public final class Renderer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> scope;
    private final Masker masker;
    private final boolean plan;

    /**
     * @param scope the names in scope ({@link Scope#toMap()})
     * @param masker masks secrets in the display form
     * @param plan true in dry-run: step results are placeholders
     */
    public Renderer(Map<String, Object> scope, Masker masker, boolean plan) {
        this.scope = scope;
        this.masker = masker;
        this.plan = plan;
    }

    /**
     * @param root a root name of the scope ({@code secrets}, {@code inputs}, …)
     * @param name a name under it
     * @return true when the scope holds a value for {@code root.name}
     */
    public boolean defines(String root, String name) {
        return scope.get(root) instanceof Map<?, ?> m && m.containsKey(name);
    }

    /**
     * Renders as plain text.
     *
     * @throws ExpressionException when an expression fails
     */
    public Rendered text(String template) {
        return render(Template.parse(template), Mode.TEXT);
    }

    /**
     * Renders a shell command without putting any value in its text: each {@code ${...}} becomes
     * a reference to a variable ({@code "${RUNBOOK_V1}"} outside quotes, {@code ${RUNBOOK_V1}} in
     * double quotes and here-documents, per {@link ShellScript}) whose value travels beside the
     * script.
     *
     * @param template the command
     * @param allowOptionValues the step's {@code allow_option_values}: a value that starts with
     *     {@code -} may begin a word
     * @return the script, its variables and the masked display form
     * @throws ExpressionException when an expression fails, when a template stands where no
     *     variable expands or where its value would be parsed again as code ({@link ShellScript}),
     *     or when a value that starts with {@code -} begins a word not preceded by {@code --}
     */
    public ShellCommand shell(String template, boolean allowOptionValues) {
        Template t = Template.parse(template);
        List<ShellScript.Site> sites = ShellScript.analyse(t);
        StringBuilder script = new StringBuilder();
        StringBuilder display = new StringBuilder();
        Map<String, String> variables = new LinkedHashMap<>();
        int n = 0;
        for (Template.Part part : t.parts()) {
            if (part instanceof Template.Text lit) {
                script.append(lit.text());
                display.append(lit.text());
                continue;
            }
            ShellScript.Site site = sites.get(n++);
            if (site.refusal() != null) {
                throw new ExpressionException(site.refusal());
            }
            Expressions.Expression e = site.expression().expression();
            String value;
            boolean placeholder = plan && unknowable(e);
            if (placeholder) {
                value = placeholder(e.source());
            } else {
                value = stringify(e.evaluate(scope));
            }
            if (!allowOptionValues
                    && site.wordStart()
                    && !site.afterDoubleDash()
                    && site.where() != ShellScript.Where.HEREDOC
                    && value.startsWith("-")) {
                throw new ExpressionException("the value of ${" + e.source() + "} starts with '-' and begins a word,"
                        + " where a command reads it as an option: write -- before it, or set"
                        + " allow_option_values: true on the step");
            }
            String name = ShellCommand.VARIABLE_PREFIX + n;
            variables.put(name, value);
            String masked = masker.mask(value);
            if (site.where() == ShellScript.Where.UNQUOTED) {
                script.append("\"${").append(name).append("}\"");
                display.append(placeholder ? masked : ShellQuote.quote(masked));
            } else {
                script.append("${").append(name).append('}');
                display.append(masked);
            }
        }
        return new ShellCommand(script.toString(), variables, display.toString());
    }

    /** Renders SQL: each value becomes a {@code ?} bind parameter. */
    public Rendered sql(String template) {
        return render(Template.parse(template), Mode.SQL);
    }

    /** Evaluates a condition ({@code when}, {@code check}, {@code retry.until}). */
    public boolean test(String expression) {
        return Expressions.compile(expression).test(scope);
    }

    /** True when the expression reads what a plan cannot know: step results, or env.* without environment. */
    private boolean unknowable(Expressions.Expression e) {
        boolean noEnv = scope.get("env") instanceof Map<?, ?> env && env.isEmpty();
        return e.variables().stream()
                .anyMatch(v -> !v.isEmpty()
                        && (v.get(0).equals("steps") || noEnv && v.get(0).equals("env")));
    }

    /** The text shown for a value a dry-run cannot know: {@code <inputs.sha>}. */
    public static String placeholder(String name) {
        return "<" + name + ">";
    }

    /** True in plan (dry-run) mode. */
    public boolean plan() {
        return plan;
    }

    private enum Mode {
        TEXT,
        SQL
    }

    private Rendered render(Template t, Mode mode) {
        StringBuilder text = new StringBuilder();
        StringBuilder display = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (Template.Part part : t.parts()) {
            if (part instanceof Template.Text lit) {
                text.append(lit.text());
                display.append(lit.text());
                continue;
            }
            Expressions.Expression e = ((Template.Expr) part).expression();
            if (plan && unknowable(e)) {
                String ph = placeholder(e.source());
                text.append(mode == Mode.SQL ? "?" : ph);
                display.append(mode == Mode.SQL ? "?" : ph);
                if (mode == Mode.SQL) {
                    params.add(ph);
                }
                continue;
            }
            Object value = e.evaluate(scope);
            String s = stringify(value);
            String masked = masker.mask(s);
            switch (mode) {
                case TEXT -> {
                    text.append(s);
                    display.append(masked);
                }
                case SQL -> {
                    text.append('?');
                    display.append('?');
                    params.add(value instanceof Number || value instanceof Boolean ? value : s);
                }
            }
        }
        if (mode == Mode.SQL && !params.isEmpty()) {
            List<Object> shown = new ArrayList<>();
            params.forEach(p -> shown.add(p instanceof String s ? masker.mask(s) : p));
            display.append("  -- params: ").append(stringify(shown));
        }
        return new Rendered(text.toString(), display.toString(), params);
    }

    /** A value as text: null is empty, strings as they are, lists and maps as JSON. */
    public static String stringify(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map || value instanceof List) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }
}
