package dev.runbook.load;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.FlowTarget;
import dev.runbook.model.Position;
import dev.runbook.model.Runbook;
import dev.runbook.model.Step;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Expressions;
import dev.runbook.template.Scope;
import dev.runbook.template.ShellScript;
import dev.runbook.template.Template;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The cross-step rules of the contract ("A runbook file"), over one whole runbook:
 * duplicate step ids, {@code goto}/{@code on_failure}/{@code on_success} targets that do
 * not exist, templates and expressions that do not parse or name an unknown
 * input/var/secret/step.
 */
final class RunbookValidator {

    private RunbookValidator() {}

    static void validate(Runbook rb, List<Problem> problems) {
        Map<String, Step> ids = new HashMap<>();
        Stream.of(rb.steps(), rb.rollback(), rb.verify()).flatMap(List::stream).forEach(s -> {
            Step first = ids.putIfAbsent(s.id(), s);
            if (first != null) {
                problems.add(new Problem(
                        s.at("id"),
                        "duplicate step id '" + s.id() + "' (first at line "
                                + first.position().line() + ")"));
            }
        });
        Set<String> mainIds = new HashSet<>();
        rb.steps().forEach(s -> mainIds.add(s.id()));
        Names names = new Names(rb, ids.keySet());
        rb.steps().forEach(s -> step(rb, s, mainIds, names, problems));
        ReferenceRules.check(rb, problems);
        rb.rollback().forEach(s -> step(rb, s, mainIds, names, problems));
        rb.verify().forEach(s -> {
            step(rb, s, mainIds, names, problems);
            verifyStep(s, problems);
        });
        rb.vars()
                .forEach((k, v) ->
                        template(v, Position.of(rb.source().path()), "var '" + k + "'", names, problems, true));
    }

    private static void step(Runbook rb, Step s, Set<String> mainIds, Names names, List<Problem> problems) {
        String what = "step '" + s.id() + "'";
        target(
                s.onFailure(),
                List.of(FlowTarget.ABORT, FlowTarget.CONTINUE, FlowTarget.ROLLBACK),
                mainIds,
                s.at("on_failure"),
                what + " on_failure",
                problems);
        target(
                s.onSuccess(),
                List.of(FlowTarget.NEXT, FlowTarget.END),
                mainIds,
                s.at("on_success"),
                what + " on_success",
                problems);
        if (s.onFailure() instanceof FlowTarget.Rollback && rb.rollback().isEmpty()) {
            problems.add(new Problem(
                    s.at("on_failure"),
                    what + " has on_failure: rollback but the runbook has no" + " 'rollback' section"));
        }
        if (s.action() instanceof ActionSpec.Choose c) {
            for (ActionSpec.Option o : c.options()) {
                if (o.gotoStep() != null) {
                    target(
                            o.gotoStep(),
                            List.of(FlowTarget.END),
                            mainIds,
                            s.at("choose"),
                            what + " option '" + o.label() + "' goto",
                            problems);
                }
            }
        }
        if (s.when() != null) {
            expression(s.when(), s.at("when"), what + " when", names, problems);
        }
        s.check().forEach(c -> expression(c, s.at("check"), what + " check", names, problems));
        if (s.retry().until() != null) {
            expression(s.retry().until(), s.at("retry"), what + " retry.until", names, problems);
        }
        Position at = s.at(s.action().key());
        template(s.title(), s.at("title"), what + " title", names, problems, false);
        template(s.description(), s.at("description"), what + " description", names, problems, false);
        String command = s.action() instanceof ActionSpec.Shell sh
                ? sh.command()
                : s.action() instanceof ActionSpec.Ssh ssh ? ssh.command() : null;
        if (command != null) {
            try {
                for (ShellScript.Site site : ShellScript.analyse(Template.parse(command))) {
                    if (site.refusal() != null) {
                        problems.add(new Problem(at, what + " " + s.action().key() + ": " + site.refusal()));
                    }
                }
            } catch (ExpressionException e) {
                // reported with the other templates below
            }
        }
        for (String t : s.action().templates()) {
            template(t, at, what + " " + s.action().key(), names, problems, false);
        }
    }

    /**
     * A resolution check proves the service is back (docs/format.md, "verify"): it observes
     * ({@code http}, {@code shell}, {@code ssh}, {@code sql}, {@code wait}), never asks the
     * operator, never branches and is never destructive.
     */
    private static void verifyStep(Step s, List<Problem> problems) {
        String what = "verify step '" + s.id() + "'";
        ActionSpec a = s.action();
        if (!(a instanceof ActionSpec.Http
                || a instanceof ActionSpec.Shell
                || a instanceof ActionSpec.Ssh
                || a instanceof ActionSpec.Sql
                || a instanceof ActionSpec.Wait)) {
            problems.add(new Problem(
                    s.at(a.key()),
                    what + " is '" + a.key() + "': a resolution check observes the service with http, shell,"
                            + " ssh, sql or wait"));
        }
        if (s.positions().containsKey("on_failure") && !(s.onFailure() instanceof FlowTarget.Abort)) {
            problems.add(new Problem(
                    s.at("on_failure"),
                    what + " has on_failure: " + s.onFailure().text()
                            + ": a failed check ends the verification (use retry to wait for the service)"));
        }
        if (s.positions().containsKey("on_success") && !(s.onSuccess() instanceof FlowTarget.Next)) {
            problems.add(new Problem(
                    s.at("on_success"),
                    what + " has on_success: " + s.onSuccess().text() + ": checks cannot branch"));
        }
        if (s.dangerous()) {
            problems.add(new Problem(s.at("dangerous"), what + " is dangerous: a resolution check only observes"));
        }
    }

    private static void target(
            FlowTarget value,
            List<FlowTarget> keywords,
            Set<String> mainIds,
            Position at,
            String what,
            List<Problem> problems) {
        boolean ok = value instanceof FlowTarget.Goto g ? mainIds.contains(g.step()) : keywords.contains(value);
        if (!ok) {
            problems.add(new Problem(
                    at,
                    what + " goes to '" + value.text() + "', which is neither "
                            + String.join(
                                    ", ",
                                    keywords.stream().map(FlowTarget::text).toList())
                            + " nor a step id of 'steps'"));
        }
    }

    private static void expression(String source, Position at, String what, Names names, List<Problem> problems) {
        try {
            names.check(Expressions.compile(source).variables(), at, what, problems, false);
        } catch (ExpressionException e) {
            problems.add(new Problem(at, what + ": " + e.getMessage()));
        }
    }

    private static void template(
            String source, Position at, String what, Names names, List<Problem> problems, boolean staticOnly) {
        if (source == null) {
            return;
        }
        try {
            names.check(Template.parse(source).variables(), at, what, problems, staticOnly);
        } catch (ExpressionException e) {
            problems.add(new Problem(at, what + ": " + e.getMessage()));
        }
    }

    /** The names a runbook declares, to check references against. */
    private static final class Names {
        private final Set<String> inputs = new HashSet<>();
        private final Set<String> vars;
        private final Set<String> secrets;
        private final Set<String> steps;

        Names(Runbook rb, Set<String> stepIds) {
            inputs.addAll(rb.inputs().keySet());
            Stream.of(rb.steps(), rb.rollback(), rb.verify())
                    .flatMap(List::stream)
                    .filter(s -> s.action() instanceof ActionSpec.Input)
                    .forEach(s -> inputs.add(((ActionSpec.Input) s.action()).name()));
            vars = rb.vars().keySet();
            secrets = new HashSet<>(rb.secrets());
            steps = stepIds;
        }

        void check(List<List<String>> refs, Position at, String what, List<Problem> problems, boolean staticOnly) {
            for (List<String> ref : refs) {
                String root = ref.get(0);
                String name = ref.size() > 1 ? ref.get(1) : null;
                String full = String.join(".", ref);
                if (!Scope.ROOTS.contains(root)) {
                    problems.add(new Problem(
                            at,
                            what + ": unknown name '" + full + "' (names start with " + String.join(", ", Scope.ROOTS)
                                    + ")"));
                    continue;
                }
                if (staticOnly && (root.equals("steps"))) {
                    problems.add(new Problem(at, what + ": vars cannot read step results ('" + full + "')"));
                    continue;
                }
                if (name == null) {
                    if (!root.equals("env")) {
                        problems.add(new Problem(at, what + ": '" + root + "' needs a name, as in " + root + ".NAME"));
                    }
                    continue;
                }
                Set<String> known = switch (root) {
                    case "inputs" -> inputs;
                    case "vars" -> vars;
                    case "secrets" -> secrets;
                    case "steps" -> steps;
                    case "incident" -> Set.copyOf(Scope.INCIDENT_FIELDS);
                    default -> null;
                };
                if (known != null && !known.contains(name)) {
                    String hint = switch (root) {
                        case "secrets" -> " (declare it in 'secrets:')";
                        case "inputs" -> " (declare it in 'inputs:' or with an input step)";
                        case "vars" -> " (declare it in 'vars:')";
                        case "steps" -> " (no step has that id)";
                        default -> " (one of " + String.join(", ", Scope.INCIDENT_FIELDS) + ")";
                    };
                    problems.add(new Problem(
                            at,
                            what + ": unknown " + root.replaceAll("s$", "") + " '" + name + "' in '" + full + "'"
                                    + hint));
                }
            }
        }
    }
}
