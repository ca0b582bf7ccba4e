package dev.runbook.load;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.Approval;
import dev.runbook.model.FlowTarget;
import dev.runbook.model.Retry;
import dev.runbook.model.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one step (contract, "A step" and "Actions"): the common keys, exactly one
 * action key in its short or long form, and the action's {@code expect} keys.
 */
final class StepLoader {

    private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern METHOD = Pattern.compile("(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\\s+(\\S.*)");

    private final List<Problem> problems;

    StepLoader(List<Problem> problems) {
        this.problems = problems;
    }

    /** Reads a step; returns null when it is too broken to use (problems are recorded). */
    Step load(Node node, int index, String section) {
        String label = (section.isEmpty() ? "" : section + " ") + "step #" + (index + 1);
        Fields f = new Fields(node, label, Shapes.STEP, problems);
        String id = f.string("id");
        if (id != null && !STEP_ID.matcher(id).matches()) {
            f.problem(f.node("id").position(), "step id '" + id + "' may only use letters, digits, '_' and '-'");
        }
        String what = id == null ? label : "step '" + id + "'";
        List<String> present = Shapes.ACTIONS.stream().filter(f::has).toList();
        if (present.isEmpty()) {
            f.problem(f.position(), what + " has no action: give exactly one of " + String.join(", ", Shapes.ACTIONS));
            return null;
        }
        if (present.size() > 1) {
            f.problem(
                    f.keyPosition(present.get(1)),
                    what + " has several actions (" + String.join(", ", present) + "): give exactly one");
            return null;
        }
        String key = present.get(0);
        Node expect = f.node("expect");
        ActionSpec action = action(key, f.node(key), expect, what, f.bool("allow_option_values", false));
        Retry retry = retry(f.node("retry"), what);
        List<String> check = f.strings("check", true);
        String onFailure = f.string("on_failure");
        String onSuccess = f.string("on_success");
        String title = f.string("title");
        if (action == null || id == null) {
            return null;
        }
        return new Step(
                id,
                title == null ? id : title,
                f.string("description"),
                action,
                f.string("when"),
                f.duration("timeout"),
                retry,
                check,
                onFailure == null ? FlowTarget.ABORT : FlowTarget.parse(onFailure),
                onSuccess == null ? FlowTarget.NEXT : FlowTarget.parse(onSuccess),
                f.bool("dangerous", false),
                f.position(),
                positions(f.map()),
                f.string("severity"),
                approval(f.node("approval"), what));
    }

    /** {@code approval: {from: [ic, dba], min: 1, timeout: 30m}} (docs/team.md, "Approvals"). */
    private Approval approval(Node node, String what) {
        if (node == null) {
            return null;
        }
        Fields a = new Fields(node, "approval of " + what, Shapes.APPROVAL, problems);
        List<String> from = a.has("from") ? a.strings("from", true) : List.of();
        String min = a.string("min");
        int n = 1;
        if (min != null) {
            try {
                n = Integer.parseInt(min);
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1) {
                a.problem(a.node("min").position(), "approval of " + what + ": min must be a whole number ≥ 1");
                n = 1;
            }
        }
        Duration timeout = a.duration("timeout");
        return new Approval(from, n, timeout == null ? Approval.DEFAULT_TIMEOUT : timeout);
    }

    private static Map<String, dev.runbook.model.Position> positions(Node.MapNode m) {
        Map<String, dev.runbook.model.Position> out = new LinkedHashMap<>();
        m.entries().forEach((k, v) -> out.put(k, v.position()));
        return out;
    }

    private Retry retry(Node node, String what) {
        if (node == null) {
            return Retry.NONE;
        }
        Fields f = new Fields(node, "retry of " + what, Shapes.RETRY, problems);
        Integer attempts = f.integer("attempts");
        if (attempts != null && attempts < 1) {
            f.problem(f.node("attempts").position(), "retry.attempts of " + what + " must be at least 1");
        }
        java.time.Duration delay = f.duration("delay");
        return new Retry(
                attempts == null ? 3 : Math.max(attempts, 1),
                delay == null ? java.time.Duration.ofSeconds(5) : delay,
                f.string("until"));
    }

    private ActionSpec action(String key, Node node, Node expect, String what, boolean allowOptionValues) {
        String ctx = key + " of " + what;
        return switch (key) {
            case "http" -> http(node, expect, ctx);
            case "shell" -> shell(node, expect, ctx, allowOptionValues);
            case "ssh" -> ssh(node, expect, ctx, allowOptionValues);
            case "sql" -> sql(node, expect, ctx);
            case "manual" -> noExpect(expect, ctx, manual(node, ctx));
            case "wait" -> noExpect(expect, ctx, waitSpec(node, ctx));
            case "notify" -> noExpect(expect, ctx, notify(node, ctx));
            case "input" -> noExpect(expect, ctx, input(node, ctx));
            case "runbook" -> noExpect(expect, ctx, call(node, ctx));
            default -> noExpect(expect, ctx, choose(node, ctx));
        };
    }

    /** {@code runbook: ID} or {@code runbook: {id, inputs: {NAME: VALUE}}}. */
    private ActionSpec call(Node node, String ctx) {
        String s = shortForm(node);
        if (s != null) {
            return new ActionSpec.Call(s, Map.of());
        }
        Fields f = new Fields(node, ctx, Shapes.CALL, problems);
        String id = f.string("id");
        Map<String, String> inputs = f.stringMap("inputs");
        for (String t : inputs.values()) {
            try {
                dev.runbook.template.Template.parse(t);
            } catch (dev.runbook.template.ExpressionException e) {
                problems.add(new Problem(f.node("inputs").position(), ctx + ": inputs: " + e.getMessage()));
            }
        }
        return id == null ? null : new ActionSpec.Call(id, Map.copyOf(inputs));
    }

    private ActionSpec noExpect(Node expect, String ctx, ActionSpec spec) {
        if (expect != null) {
            problems.add(new Problem(expect.position(), "'expect' is not available for " + ctx));
        }
        return spec;
    }

    private static String shortForm(Node node) {
        return node instanceof Node.Scalar s ? s.text() : null;
    }

    private ActionSpec http(Node node, Node expectNode, String ctx) {
        String method = "GET";
        String url;
        Map<String, String> headers = Map.of();
        String body = null;
        boolean insecure = false;
        String s = shortForm(node);
        if (s != null) {
            var m = METHOD.matcher(s.trim());
            url = m.matches() ? m.group(2).trim() : s.trim();
            method = m.matches() ? m.group(1) : "GET";
        } else {
            Fields f = new Fields(node, ctx, Shapes.HTTP, problems);
            url = f.string("url");
            String mth = f.string("method");
            if (mth != null) {
                method = mth.toUpperCase(Locale.ROOT);
            }
            headers = f.stringMap("headers");
            body = f.string("body");
            insecure = f.bool("insecure", false);
        }
        List<Integer> status = new ArrayList<>();
        String bodyContains = null;
        Map<String, Object> json = new LinkedHashMap<>();
        java.time.Duration maxLatency = null;
        if (expectNode != null) {
            Fields e = new Fields(expectNode, "expect of " + ctx, Shapes.HTTP_EXPECT, problems);
            Node st = e.node("status");
            if (st instanceof Node.ListNode) {
                for (String v : e.strings("status", false)) {
                    status.add(statusCode(v, st, ctx));
                }
            } else if (st != null) {
                status.add(statusCode(e.string("status"), st, ctx));
            }
            bodyContains = e.string("body_contains");
            Node j = e.node("json");
            if (j instanceof Node.MapNode jm) {
                jm.entries().forEach((ptr, v) -> {
                    if (!ptr.isEmpty() && !ptr.startsWith("/")) {
                        problems.add(new Problem(
                                jm.keyPositions().get(ptr),
                                "JSON Pointer '" + ptr + "' in expect of " + ctx + " must start with '/' (RFC 6901)"));
                    }
                    json.put(ptr, Fields.plain(v));
                });
            } else if (j != null) {
                problems.add(
                        new Problem(j.position(), "expect.json of " + ctx + " must be a map of JSON Pointer to value"));
            }
            maxLatency = e.duration("max_latency");
        }
        if (!Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS").contains(method)) {
            problems.add(new Problem(
                    node.position(),
                    ctx + ": method '" + method + "' is not one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"));
            return null;
        }
        if (url != null && !url.startsWith("${") && !url.matches("(?i)https?://\\S+")) {
            problems.add(new Problem(
                    node.position(),
                    ctx + ": '" + url + "' is not an http:// or https:// URL (short form: [METHOD] URL)"));
            return null;
        }
        return url == null
                ? null
                : new ActionSpec.Http(method, url, headers, body, insecure, status, bodyContains, json, maxLatency);
    }

    private int statusCode(String v, Node at, String ctx) {
        try {
            int code = Integer.parseInt(v == null ? "" : v.trim());
            if (code >= 100 && code <= 599) {
                return code;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(new Problem(
                at.position(), "expect.status of " + ctx + " must be HTTP status codes (100-599), not '" + v + "'"));
        return 0;
    }

    private ActionSpec.ExecExpect execExpect(Node expectNode, String ctx) {
        if (expectNode == null) {
            return ActionSpec.ExecExpect.DEFAULT;
        }
        Fields e = new Fields(expectNode, "expect of " + ctx, Shapes.EXEC_EXPECT, problems);
        String matches = e.string("stdout_matches");
        if (matches != null) {
            try {
                Pattern.compile(matches);
            } catch (java.util.regex.PatternSyntaxException ex) {
                e.problem(
                        e.node("stdout_matches").position(),
                        "stdout_matches of " + ctx + " is not a valid regex: " + ex.getDescription());
            }
        }
        return new ActionSpec.ExecExpect(e.integer("exit"), e.string("stdout_contains"), matches);
    }

    private ActionSpec shell(Node node, Node expectNode, String ctx, boolean allowOptionValues) {
        ActionSpec.ExecExpect expect = execExpect(expectNode, ctx);
        String s = shortForm(node);
        if (s != null && s.isBlank()) {
            problems.add(new Problem(node.position(), ctx + ": the command is empty"));
            return null;
        }
        if (s != null) {
            return new ActionSpec.Shell(s, null, Map.of(), expect, allowOptionValues);
        }
        Fields f = new Fields(node, ctx, Shapes.SHELL, problems);
        String command = f.string("command");
        return command == null
                ? null
                : new ActionSpec.Shell(command, f.string("workdir"), f.stringMap("env"), expect, allowOptionValues);
    }

    private ActionSpec ssh(Node node, Node expectNode, String ctx, boolean allowOptionValues) {
        ActionSpec.ExecExpect expect = execExpect(expectNode, ctx);
        Fields f = new Fields(node, ctx, Shapes.SSH, problems);
        List<String> hosts = f.strings("hosts", true);
        if (f.has("hosts") && hosts.isEmpty()) {
            f.problem(f.node("hosts").position(), "'hosts' of " + ctx + " must name at least one host");
        }
        String command = f.string("command");
        Integer parallel = f.integer("parallel");
        if (parallel != null && parallel < 1) {
            f.problem(f.node("parallel").position(), "'parallel' of " + ctx + " must be at least 1");
        }
        return command == null || hosts.isEmpty()
                ? null
                : new ActionSpec.Ssh(
                        hosts, command, parallel == null ? 1 : Math.max(1, parallel), expect, allowOptionValues);
    }

    private ActionSpec sql(Node node, Node expectNode, String ctx) {
        String query;
        String database = null;
        String s = shortForm(node);
        if (s != null) {
            query = s;
        } else {
            Fields f = new Fields(node, ctx, Shapes.SQL, problems);
            query = f.string("query");
            database = f.string("database");
        }
        Integer rowCount = null;
        Integer minRows = null;
        Integer maxRows = null;
        if (expectNode != null) {
            Fields e = new Fields(expectNode, "expect of " + ctx, Shapes.SQL_EXPECT, problems);
            rowCount = e.integer("row_count");
            minRows = e.integer("min_rows");
            maxRows = e.integer("max_rows");
        }
        return query == null ? null : new ActionSpec.Sql(query, database, rowCount, minRows, maxRows);
    }

    private ActionSpec manual(Node node, String ctx) {
        String s = shortForm(node);
        if (s != null) {
            return new ActionSpec.Manual(s, List.of());
        }
        Fields f = new Fields(node, ctx, Shapes.MANUAL, problems);
        String text = f.string("text");
        return text == null ? null : new ActionSpec.Manual(text, f.strings("checklist", false));
    }

    private ActionSpec waitSpec(Node node, String ctx) {
        String s = shortForm(node);
        Fields f = s != null ? null : new Fields(node, ctx, Shapes.WAIT, problems);
        String d = s != null ? s : f.string("duration");
        if (d == null) {
            return null;
        }
        try {
            return new ActionSpec.Wait(dev.runbook.model.Durations.parse(d), f == null ? null : f.string("message"));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(node.position(), ctx + ": " + e.getMessage()));
            return null;
        }
    }

    private ActionSpec notify(Node node, String ctx) {
        String s = shortForm(node);
        if (s != null) {
            return new ActionSpec.Notify(s, null, null);
        }
        Fields f = new Fields(node, ctx, Shapes.NOTIFY, problems);
        String message = f.string("message");
        if (f.has("webhook") && f.has("channel")) {
            f.problem(f.node("channel").position(), ctx + ": give a channel or a webhook, not both");
        }
        return message == null ? null : new ActionSpec.Notify(message, f.string("webhook"), f.string("channel"));
    }

    private ActionSpec input(Node node, String ctx) {
        Fields f = new Fields(node, ctx, Shapes.INPUT_STEP, problems);
        String name = f.string("name");
        String pattern = f.string("pattern");
        if (pattern != null) {
            try {
                Pattern.compile(pattern);
            } catch (java.util.regex.PatternSyntaxException e) {
                f.problem(
                        f.node("pattern").position(),
                        "pattern of " + ctx + " is not a valid regex: " + e.getDescription());
            }
        }
        String dflt = f.string("default");
        if (dflt != null && pattern != null && !dflt.matches(pattern)) {
            f.problem(f.node("default").position(), "default '" + dflt + "' of " + ctx + " does not match its pattern");
        }
        return name == null
                ? null
                : new ActionSpec.Input(name, f.string("description"), pattern, dflt, f.bool("secret", false));
    }

    private ActionSpec choose(Node node, String ctx) {
        Fields f = new Fields(node, ctx, Shapes.CHOOSE, problems);
        String question = f.string("question");
        Node opts = f.node("options");
        List<ActionSpec.Option> options = new ArrayList<>();
        if (opts instanceof Node.ListNode list && !list.items().isEmpty()) {
            for (Node o : list.items()) {
                if (o instanceof Node.Scalar sc && sc.text() != null) {
                    options.add(new ActionSpec.Option(sc.text(), null));
                    continue;
                }
                Fields of = new Fields(o, "option of " + ctx, Shapes.OPTION, problems);
                String label = of.string("label");
                if (label != null) {
                    String to = of.string("goto");
                    options.add(new ActionSpec.Option(label, to == null ? null : FlowTarget.parse(to)));
                }
            }
        } else if (opts != null) { // absent, it is reported by Fields: a required key
            f.problem(opts.position(), ctx + " needs 'options': a list of {label, goto}");
        }
        ActionSpec.Choose c = new ActionSpec.Choose(question == null ? "" : question, options, f.string("default"));
        if (c.defaultOption() != null && c.defaultChoice() == null && !options.isEmpty()) {
            f.problem(
                    f.node("default").position(),
                    "default '" + c.defaultOption() + "' of " + ctx
                            + " is neither an option label nor an option number");
        }
        return question == null ? null : c;
    }
}
