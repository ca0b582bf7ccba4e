package dev.runbook.load;

import dev.runbook.model.InputDef;
import dev.runbook.model.Runbook;
import dev.runbook.model.Severity;
import dev.runbook.model.Sha256;
import dev.runbook.model.Sla;
import dev.runbook.model.Step;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a runbook file strictly (contract, "A runbook file"): unknown keys, duplicate
 * keys, wrong types and the cross-step rules of {@link RunbookValidator} are all reported,
 * each as {@code PATH:LINE:COLUMN: message}.
 */
public final class RunbookLoader {

    private static final Pattern RUNBOOK_ID = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private RunbookLoader() {}

    /**
     * Loads and validates one file.
     *
     * @param file the runbook file; its path is kept as given for messages
     * @return the runbook
     * @throws InvalidException with every problem found (syntax, keys, references)
     * @throws IOException when the file cannot be read
     */
    public static Runbook load(Path file) throws IOException, InvalidException {
        SourceFile.Read source = SourceFile.read(file);
        byte[] bytes = source.bytes();
        String name = file.toString();
        Node root = YamlReader.parse(name, source.text());
        List<Problem> problems = new ArrayList<>();
        Runbook rb = read(root, new Runbook.Source(name, Sha256.hex(bytes)), problems);
        if (rb != null) {
            RunbookValidator.validate(rb, problems);
        }
        if (!problems.isEmpty() || rb == null) {
            problems.sort(java.util.Comparator.comparingInt(
                            (Problem p) -> p.position().line())
                    .thenComparingInt(p -> p.position().column()));
            throw new InvalidException(
                    problems.isEmpty() ? List.of(new Problem(root.position(), "not a runbook")) : problems);
        }
        return rb;
    }

    private static Runbook read(Node root, Runbook.Source source, List<Problem> problems) {
        Fields f = new Fields(root, "runbook", Shapes.RUNBOOK, problems);
        String id = f.string("id");
        if (id != null && !RUNBOOK_ID.matcher(id).matches()) {
            f.problem(
                    f.node("id").position(), "runbook id '" + id + "' may only use letters, digits, '.', '_' and '-'");
        }
        String title = f.string("title");
        String sev = f.string("severity");
        Severity severity = null;
        if (sev != null) {
            try {
                severity = Severity.valueOf(sev.trim());
            } catch (IllegalArgumentException e) {
                f.problem(f.node("severity").position(), "severity must be P1, P2, P3 or P4, not '" + sev + "'");
            }
        }
        Sla sla = new Sla(null, null);
        if (f.has("sla")) {
            Fields s = new Fields(f.node("sla"), "sla", Shapes.SLA, problems);
            Map<Severity, Sla> bySeverity = new java.util.EnumMap<>(Severity.class);
            for (Severity level : Severity.values()) {
                if (s.has(level.name())) {
                    Fields l = new Fields(s.node(level.name()), "sla." + level.name(), Shapes.SLA_LEVEL, problems);
                    bySeverity.put(level, new Sla(l.duration("respond"), l.duration("resolve")));
                }
            }
            sla = new Sla(s.duration("respond"), s.duration("resolve"), Map.copyOf(bySeverity));
        }
        Map<String, InputDef> inputs = inputs(f.node("inputs"), problems);
        Map<String, String> vars = f.stringMap("vars");
        vars.keySet().stream()
                .filter(v -> !NAME.matcher(v).matches())
                .forEach(v -> f.problem(
                        ((Node.MapNode) f.node("vars")).keyPositions().get(v),
                        "var name '" + v + "' must be an identifier"));
        if (f.node("vars") instanceof Node.MapNode vm) {
            ReferenceRules.varsCycle(vars, vm.keyPositions(), vm.position(), problems);
        }
        List<String> secrets = f.strings("secrets", false);
        secrets.stream()
                .filter(n -> !NAME.matcher(n).matches())
                .forEach(n -> problems.add(new Problem(
                        f.node("secrets").position(),
                        "secret name '" + n + "' must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)")));
        StepLoader steps = new StepLoader(problems);
        List<Step> main = stepList(f, "steps", steps, true, problems);
        List<Step> rollback = stepList(f, "rollback", steps, false, problems);
        List<Step> verify = stepList(f, "verify", steps, false, problems);
        List<Runbook.Drill> drills = new ArrayList<>();
        if (f.has("drill")) {
            Set<String> inputNames = new java.util.HashSet<>(inputs.keySet());
            if (main != null) {
                main.stream()
                        .filter(st -> st.action() instanceof dev.runbook.model.ActionSpec.Input)
                        .forEach(st -> inputNames.add(((dev.runbook.model.ActionSpec.Input) st.action()).name()));
            }
            Node dn = f.node("drill");
            List<Node> items = dn instanceof Node.ListNode l ? l.items() : List.of(dn);
            for (Node item : items) {
                Runbook.Drill d = drill(item, inputNames, problems);
                if (d != null) {
                    drills.add(d);
                }
            }
        }
        if (id == null || title == null || severity == null || main == null) {
            return null;
        }
        return new Runbook(
                id,
                title,
                severity,
                f.string("service"),
                f.string("source"),
                f.strings("tags", false),
                sla,
                f.string("summary"),
                f.strings("symptoms", false),
                inputs,
                vars,
                secrets,
                main,
                rollback == null ? List.of() : rollback,
                verify == null ? List.of() : verify,
                source,
                List.copyOf(drills),
                escalation(f.node("escalation"), problems),
                updates(f.node("updates"), problems));
    }

    /** {@code escalation: [{after, unless, notify, to}]} (docs/format.md, "Escalation on the clock"). */
    private static List<dev.runbook.model.Escalation> escalation(Node node, List<Problem> problems) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof Node.ListNode list)) {
            problems.add(new Problem(node.position(), "'escalation' must be a list of tiers, not " + node.kind()));
            return List.of();
        }
        List<dev.runbook.model.Escalation> out = new ArrayList<>();
        for (Node item : list.items()) {
            String what = "escalation tier " + (out.size() + 1);
            Fields e = new Fields(item, what, Shapes.ESCALATION, problems);
            Set<Severity> levels = java.util.EnumSet.noneOf(Severity.class);
            for (String level : e.strings("severity", false)) {
                try {
                    levels.add(Severity.valueOf(level.trim()));
                } catch (IllegalArgumentException ex) {
                    e.problem(
                            e.node("severity").position(),
                            what + ": severity must be P1, P2, P3 or P4, not '" + level + "'");
                }
            }
            java.time.Duration after = e.duration("after");
            String unless = e.string("unless");
            String message = e.string("notify");
            if (unless != null) {
                try {
                    dev.runbook.template.Expressions.compile(unless);
                } catch (dev.runbook.template.ExpressionException ex) {
                    e.problem(e.node("unless").position(), what + ": unless: " + ex.getMessage());
                }
            }
            if (message != null) {
                try {
                    dev.runbook.template.Template.parse(message);
                } catch (dev.runbook.template.ExpressionException ex) {
                    e.problem(e.node("notify").position(), what + ": notify: " + ex.getMessage());
                }
            }
            if (after != null && message != null) {
                out.add(new dev.runbook.model.Escalation(
                        out.size() + 1, after, unless, message, e.string("to"), Set.copyOf(levels)));
            }
        }
        return List.copyOf(out);
    }

    /** {@code updates: {channel, on: [opened, escalation, sla, closed], every}} (docs/format.md, "Chat channels"). */
    private static dev.runbook.model.Updates updates(Node node, List<Problem> problems) {
        if (node == null) {
            return null;
        }
        Fields u = new Fields(node, "updates", Shapes.UPDATES, problems);
        String channel = u.string("channel");
        Set<dev.runbook.model.Updates.Moment> on = java.util.EnumSet.noneOf(dev.runbook.model.Updates.Moment.class);
        List<String> names = u.has("on") ? u.strings("on", false) : List.of("opened", "escalation", "sla", "closed");
        for (String n : names) {
            dev.runbook.model.Updates.Moment.of(n)
                    .ifPresentOrElse(
                            on::add,
                            () -> u.problem(
                                    u.node("on").position(),
                                    "updates: on: '" + n + "' is not one of opened, escalation, sla, closed"));
        }
        java.time.Duration every = u.duration("every");
        return channel == null ? null : new dev.runbook.model.Updates(channel, Set.copyOf(on), every);
    }

    /** One drill: {@code {fault: NAME, allow_dangerous: BOOL, inputs: {NAME: VALUE}}}. */
    private static Runbook.Drill drill(Node node, Set<String> inputNames, List<Problem> problems) {
        Fields d = new Fields(node, "drill", Shapes.DRILL, problems);
        String fault = d.string("fault");
        boolean dangerous = d.bool("allow_dangerous", false);
        Map<String, String> drillInputs = d.stringMap("inputs");
        drillInputs.keySet().stream()
                .filter(k -> !inputNames.contains(k))
                .forEach(k -> d.problem(node.position(), "drill input '" + k + "' is not one of the runbook's inputs"));
        return fault == null ? null : new Runbook.Drill(fault, dangerous, Map.copyOf(drillInputs));
    }

    private static List<Step> stepList(
            Fields f, String key, StepLoader loader, boolean required, List<Problem> problems) {
        Node n = f.node(key);
        if (n == null) {
            return required ? null : List.of(); // a required key's absence is reported by Fields
        }
        if (!(n instanceof Node.ListNode list)) {
            problems.add(new Problem(n.position(), "'" + key + "' must be a list of steps, not " + n.kind()));
            return null;
        }
        if (required && list.items().isEmpty()) {
            problems.add(new Problem(n.position(), "'" + key + "' needs at least one step"));
            return null;
        }
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            Step s = loader.load(list.items().get(i), i, key.equals("steps") ? "" : key);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static Map<String, InputDef> inputs(Node node, List<Problem> problems) {
        Map<String, InputDef> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!(node instanceof Node.MapNode m)) {
            problems.add(new Problem(node.position(), "'inputs' must be a map of input name to definition"));
            return out;
        }
        m.entries().forEach((name, def) -> {
            if (!NAME.matcher(name).matches()) {
                problems.add(
                        new Problem(m.keyPositions().get(name), "input name '" + name + "' must be an identifier"));
            }
            Node d = def instanceof Node.Scalar s && s.text() == null
                    ? new Node.MapNode(def.position(), new LinkedHashMap<>(), Map.of())
                    : def;
            Fields f = new Fields(d, "input '" + name + "'", Shapes.INPUT, problems);
            String dflt = f.string("default");
            String pat = f.string("pattern");
            Pattern pattern = null;
            if (pat != null) {
                try {
                    pattern = Pattern.compile(pat);
                    if (dflt != null && !pattern.matcher(dflt).matches()) {
                        f.problem(
                                f.node("default").position(),
                                "default '" + dflt + "' of input '" + name + "' does not match its pattern " + pat);
                    }
                } catch (PatternSyntaxException e) {
                    f.problem(
                            f.node("pattern").position(),
                            "pattern of input '" + name + "' is not a valid regex: " + e.getDescription());
                }
            }
            out.put(
                    name,
                    new InputDef(
                            name,
                            f.string("description"),
                            dflt,
                            pattern,
                            f.bool("required", dflt == null),
                            f.bool("secret", false)));
        });
        return out;
    }
}
