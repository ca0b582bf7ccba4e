package dev.runbook.load;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.FlowTarget;
import dev.runbook.model.Position;
import dev.runbook.model.Runbook;
import dev.runbook.model.Step;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Expressions;
import dev.runbook.template.Template;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The rules about what a template may read and when: a step may only read {@code steps.X} of a
 * step that can have run before it (on a path of the walk: the next step, a goto, an
 * {@code on_success}/{@code on_failure} target, a {@code choose} option; a rollback step may read
 * every main step and the rollback steps before it, a verify step every main and rollback step and
 * the verify steps before it); a step reads its own result only in
 * {@code check} and {@code retry.until}; {@code vars} may not refer to each other in a cycle; and
 * every regex literal of an expression ({@code =~ '...'}, {@code !~ '...'}) must compile. A
 * template that broke these rules would render as an empty string into a command at run time.
 */
final class ReferenceRules {

    private static final Pattern REGEX_LITERAL = Pattern.compile("[=!]~\\s*(['\"])((?:\\\\.|(?!\\1).)*)\\1");

    private ReferenceRules() {}

    static void check(Runbook rb, List<Problem> problems) {
        List<Step> main = rb.steps();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < main.size(); i++) {
            index.put(main.get(i).id(), i);
        }
        boolean[][] before = reach(main, index);
        for (int i = 0; i < main.size(); i++) {
            Step s = main.get(i);
            Set<String> may = new HashSet<>();
            for (int k = 0; k < main.size(); k++) {
                if (before[k][i]) {
                    may.add(main.get(k).id());
                }
            }
            steps(s, may, problems);
        }
        Set<String> may = new HashSet<>(index.keySet());
        for (Step s : rb.rollback()) {
            steps(s, may, problems);
            may.add(s.id());
        }
        for (Step s : rb.verify()) {
            steps(s, may, problems);
            may.add(s.id());
        }
    }

    /** before[k][i]: step k can run before step i in the same walk. */
    private static boolean[][] reach(List<Step> main, Map<String, Integer> index) {
        int n = main.size();
        List<Set<Integer>> next = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Set<Integer> e = new LinkedHashSet<>();
            Step s = main.get(k);
            if (k + 1 < n) {
                e.add(k + 1);
            }
            for (FlowTarget t : List.of(s.onFailure(), s.onSuccess())) {
                if (t instanceof FlowTarget.Goto g && index.containsKey(g.step())) {
                    e.add(index.get(g.step()));
                }
            }
            if (s.action() instanceof ActionSpec.Choose c) {
                for (ActionSpec.Option o : c.options()) {
                    if (o.gotoStep() instanceof FlowTarget.Goto g && index.containsKey(g.step())) {
                        e.add(index.get(g.step()));
                    }
                }
            }
            next.add(e);
        }
        boolean[][] r = new boolean[n][n];
        for (int k = 0; k < n; k++) {
            List<Integer> todo = new ArrayList<>(next.get(k));
            while (!todo.isEmpty()) {
                int j = todo.remove(todo.size() - 1);
                if (!r[k][j]) {
                    r[k][j] = true;
                    todo.addAll(next.get(j));
                }
            }
        }
        return r;
    }

    private static void steps(Step s, Set<String> mayHaveRun, List<Problem> problems) {
        String what = "step '" + s.id() + "'";
        List<String> before = new ArrayList<>(s.action().templates());
        before.add(s.title());
        before.add(s.description());
        for (String t : before) {
            templateRefs(t, s.at(s.action().key()), what, s.id(), mayHaveRun, false, problems);
        }
        expressionRefs(s.when(), s.at("when"), what + " when", s.id(), mayHaveRun, false, problems);
        for (String c : s.check()) {
            expressionRefs(c, s.at("check"), what + " check", s.id(), mayHaveRun, true, problems);
        }
        expressionRefs(s.retry().until(), s.at("retry"), what + " retry.until", s.id(), mayHaveRun, true, problems);
    }

    private static void templateRefs(
            String source, Position at, String what, String self, Set<String> may, boolean selfOk, List<Problem> out) {
        if (source == null) {
            return;
        }
        try {
            Template t = Template.parse(source);
            refs(t.variables(), at, what, self, may, selfOk, out);
            for (Template.Part p : t.parts()) {
                if (p instanceof Template.Expr e) {
                    regexes(e.expression().source(), at, what, out);
                }
            }
        } catch (ExpressionException e) {
            // reported by the validator
        }
    }

    private static void expressionRefs(
            String source, Position at, String what, String self, Set<String> may, boolean selfOk, List<Problem> out) {
        if (source == null) {
            return;
        }
        try {
            refs(Expressions.compile(source).variables(), at, what, self, may, selfOk, out);
            regexes(source, at, what, out);
        } catch (ExpressionException e) {
            // reported by the validator
        }
    }

    private static void refs(
            List<List<String>> vars,
            Position at,
            String what,
            String self,
            Set<String> may,
            boolean selfOk,
            List<Problem> out) {
        for (List<String> v : vars) {
            if (v.size() < 2 || !v.get(0).equals("steps")) {
                continue;
            }
            String step = v.get(1);
            if (step.equals(self) && !selfOk && !may.contains(self)) {
                out.add(new Problem(
                        at,
                        what + " reads steps." + step + ", its own result, before it has run"
                                + " (read it in check or retry.until)"));
            } else if (!step.equals(self) && !may.contains(step)) {
                out.add(new Problem(
                        at,
                        what + " reads steps." + step + ", which cannot have run before it"
                                + " (it comes later, and no goto leads from it to here)"));
            }
        }
    }

    /** Every regex literal of an expression compiles (JEXL's =~ and !~ use java.util.regex). */
    private static void regexes(String expression, Position at, String what, List<Problem> out) {
        Matcher m = REGEX_LITERAL.matcher(expression);
        while (m.find()) {
            String regex = m.group(2).replace("\\\\" + m.group(1), m.group(1));
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                out.add(new Problem(at, what + ": regex '" + regex + "' does not compile: " + e.getDescription()));
            }
        }
    }

    /**
     * Reports {@code vars} that read each other in a cycle.
     *
     * @param vars the runbook's vars
     * @param at where each var's key stands (the cycle is reported at its first var)
     */
    static void varsCycle(Map<String, String> vars, Map<String, Position> at, Position fallback, List<Problem> out) {
        Map<String, Set<String>> uses = new HashMap<>();
        vars.forEach((k, v) -> {
            Set<String> u = new LinkedHashSet<>();
            try {
                u.addAll(Template.parse(v).names("vars"));
            } catch (ExpressionException e) {
                // reported by the validator
            }
            uses.put(k, u);
        });
        Set<String> reported = new HashSet<>();
        for (String start : uses.keySet()) {
            List<String> path = new ArrayList<>();
            cycle(start, uses, path, new HashSet<>()).ifPresent(c -> {
                if (reported.add(String.join(",", new java.util.TreeSet<>(c)))) {
                    out.add(new Problem(
                            at.getOrDefault(c.get(0), fallback),
                            "vars refer to each other in a cycle: " + String.join(" → ", c)));
                }
            });
        }
    }

    private static java.util.Optional<List<String>> cycle(
            String at, Map<String, Set<String>> uses, List<String> path, Set<String> done) {
        int seen = path.indexOf(at);
        if (seen >= 0) {
            List<String> c = new ArrayList<>(path.subList(seen, path.size()));
            c.add(at);
            return java.util.Optional.of(c);
        }
        if (!done.add(at) || !uses.containsKey(at)) {
            return java.util.Optional.empty();
        }
        path.add(at);
        for (String next : uses.get(at)) {
            var c = cycle(next, uses, path, done);
            if (c.isPresent()) {
                return c;
            }
        }
        path.remove(path.size() - 1);
        return java.util.Optional.empty();
    }
}
