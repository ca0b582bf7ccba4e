package dev.runbook.load;

import static dev.runbook.load.Shape.obj;

import dev.runbook.load.Shape.Absent;
import dev.runbook.load.Shape.Anything;
import dev.runbook.load.Shape.Kind;
import dev.runbook.load.Shape.ListOf;
import dev.runbook.load.Shape.MapOf;
import dev.runbook.load.Shape.Obj;
import dev.runbook.load.Shape.OneOf;
import dev.runbook.load.Shape.Scalar;
import java.util.List;

/**
 * The definitions of the runbook format and of the inventory ({@code environments.yaml}): the
 * contract's keys (../shared/runbook-format.md, docs/format.md) as {@link Shape}s. {@link
 * RunbookLoader}, {@link StepLoader} and {@link InventoryLoader} take the keys they accept from
 * here; {@code runbook schema} prints them as a JSON Schema.
 */
public final class Shapes {

    private Shapes() {}

    static Scalar text(String description) {
        return new Scalar(Kind.TEXT, description, List.of());
    }

    static Scalar integer(String description) {
        return new Scalar(Kind.INTEGER, description, List.of());
    }

    static Scalar bool(String description) {
        return new Scalar(Kind.BOOLEAN, description, List.of());
    }

    static Scalar duration(String description) {
        return new Scalar(Kind.DURATION, description, List.of());
    }

    static Scalar oneWordOf(String description, String... words) {
        return new Scalar(Kind.ENUM, description, List.of(words));
    }

    static ListOf texts(String description) {
        return new ListOf(text(null), false, description);
    }

    /** A list of strings, or one string alone. */
    static ListOf textOrTexts(String description) {
        return new ListOf(text(null), true, description);
    }

    static MapOf textMap(String description) {
        return new MapOf(text(null), description);
    }

    private static final String[] SEVERITIES = {"P1", "P2", "P3", "P4"};

    /** The action keys of a step, in the contract's order: exactly one per step. */
    public static final List<String> ACTIONS =
            List.of("http", "shell", "ssh", "sql", "manual", "wait", "notify", "input", "choose", "runbook");

    // ---- steps ----

    /** {@code approval: {from, min, timeout}} (docs/team.md, "Approvals"). */
    static final Obj APPROVAL = obj("approval", "Other people must sign before the step runs (docs/team.md).")
            .key("from", textOrTexts("The roles or names whose signatures count."))
            .key("min", integer("How many signatures are needed (at least 1; default 1)."))
            .key("timeout", duration("How long to wait for them (default 30m)."))
            .build();

    /** {@code retry: {attempts, delay, until}}. */
    static final Obj RETRY = obj("retry", "Runs the step again when it fails (or until a condition holds).")
            .key("attempts", integer("Attempts in all, at least 1 (default 3)."))
            .key("delay", duration("The wait between two attempts (default 5s)."))
            .key("until", text("An expression: attempts go on until it is true."))
            .build();

    static final Obj HTTP = obj("http", "An HTTP request (long form).")
            .required("url", text("An http:// or https:// URL."))
            .key("method", text("GET (default), HEAD, POST, PUT, PATCH, DELETE or OPTIONS, in any case."))
            .key("headers", textMap("Request headers."))
            .key("body", text("The request body."))
            .key("insecure", bool("Accept any TLS certificate (never in a protected environment)."))
            .build();

    static final Obj HTTP_EXPECT = obj("http_expect", "What the response must be.")
            .key("status", new ListOf(integer(null), true, "The accepted status codes (100-599); default 2xx."))
            .key("body_contains", text("A text the body must contain."))
            .key("json", new MapOf(new Anything(null), "JSON Pointer (RFC 6901) to the value it must have."))
            .key("max_latency", duration("The longest the response may take."))
            .build();

    static final Obj EXEC_EXPECT = obj("exec_expect", "What the command must give.")
            .key("exit", integer("The expected exit status (default 0)."))
            .key("stdout_contains", text("A text standard output must contain."))
            .key("stdout_matches", text("A regex (Java syntax) standard output must match."))
            .build();

    static final Obj SHELL = obj("shell", "A local command (long form).")
            .required("command", text("The command, run by /bin/sh; templates are passed as variables, never spliced."))
            .key("workdir", text("The working directory."))
            .key("env", textMap("Environment variables for the command."))
            .build();

    static final Obj SSH = obj("ssh", "A command on hosts of the environment.")
            .required("hosts", textOrTexts("Host or group names of the inventory."))
            .required("command", text("The command, run by the remote login shell."))
            .key("parallel", integer("How many hosts at a time (default 1)."))
            .build();

    static final Obj SQL = obj("sql", "A PostgreSQL statement (long form).")
            .required("query", text("The statement; templates become bind parameters."))
            .key("database", text("The inventory database (default: the environment's only one)."))
            .build();

    static final Obj SQL_EXPECT = obj("sql_expect", "What the result must be.")
            .key("row_count", integer("The exact number of rows."))
            .key("min_rows", integer("At least this many rows."))
            .key("max_rows", integer("At most this many rows."))
            .build();

    static final Obj MANUAL = obj("manual", "Something the operator does by hand, then confirms (long form).")
            .required("text", text("What to do."))
            .key("checklist", texts("Items to tick."))
            .build();

    static final Obj WAIT = obj("wait", "A pause (long form).")
            .required("duration", duration("How long."))
            .key("message", text("What is being waited for."))
            .build();

    static final Obj NOTIFY = obj("notify", "A message to a channel or a webhook (long form).")
            .required("message", text("The message (a template)."))
            .key("webhook", text("A webhook URL (not with channel)."))
            .key("channel", text("A channel of the environment (not with webhook)."))
            .build();

    static final Obj INPUT_STEP = obj("input_step", "Asks the operator for a value during the walk.")
            .required("name", text("The value's name: inputs.NAME."))
            .key("description", text("What to type."))
            .key("pattern", text("A regex (Java syntax) the value must match."))
            .key("default", text("The value when Enter is typed."))
            .key("secret", bool("Never echoed, masked in the log."))
            .build();

    static final Obj OPTION = obj("option", "One option of a choose step.")
            .required("label", text("What the operator sees."))
            .key("goto", text("The step the walk goes to (or end)."))
            .build();

    static final Obj CHOOSE = obj("choose", "A decision: the operator picks an option.")
            .required("question", text("The question."))
            .required(
                    "options",
                    new ListOf(
                            new OneOf(List.of(text("A label alone."), OPTION), null),
                            false,
                            "The options, at least one."))
            .key("default", text("The option (label or number) taken by Enter or --yes."))
            .build();

    static final Obj CALL = obj("call", "Another runbook of the library, walked as a child incident.")
            .required("id", text("The runbook's id."))
            .key("inputs", textMap("Its inputs (templates)."))
            .build();

    static final Obj STEP = obj("step", "One step: exactly one action key and its rules.")
            .required("id", text("A unique id: letters, digits, '_' and '-'."))
            .key("title", text("A short title (default: the id)."))
            .key("description", text("What and why, shown before the step."))
            .key("when", text("An expression: the step runs only when it is true."))
            .key("timeout", duration("The longest the action may take."))
            .key("retry", RETRY)
            .key("expect", new Anything("What the action must give (depends on the action)."))
            .key("check", textOrTexts("Expressions that must all be true after the action."))
            .key("on_failure", text("abort (default), continue, rollback, or a step id."))
            .key("on_success", text("next (default), end, or a step id."))
            .key("dangerous", bool("Asks a typed confirmation; refused under --yes without --allow-dangerous."))
            .key("allow_option_values", bool("Lets a template value start with '-' in a command."))
            .key("severity", text("Changes the incident's severity when the step succeeds."))
            .key("approval", APPROVAL)
            .key("http", new OneOf(List.of(text("[METHOD] URL"), HTTP), "An HTTP request."))
            .key("shell", new OneOf(List.of(text("The command."), SHELL), "A local command."))
            .key("ssh", SSH)
            .key("sql", new OneOf(List.of(text("The statement."), SQL), "A PostgreSQL statement."))
            .key("manual", new OneOf(List.of(text("What to do."), MANUAL), "A manual step."))
            .key("wait", new OneOf(List.of(duration("How long."), WAIT), "A pause."))
            .key("notify", new OneOf(List.of(text("The message."), NOTIFY), "A message."))
            .key("input", INPUT_STEP)
            .key("choose", CHOOSE)
            .key("runbook", new OneOf(List.of(text("The runbook's id."), CALL), "Another runbook."))
            .exactlyOne(ACTIONS)
            .whenPresent("http", "expect", HTTP_EXPECT)
            .whenPresent("shell", "expect", EXEC_EXPECT)
            .whenPresent("ssh", "expect", EXEC_EXPECT)
            .whenPresent("sql", "expect", SQL_EXPECT)
            .whenPresent("manual", "expect", new Absent(null))
            .whenPresent("wait", "expect", new Absent(null))
            .whenPresent("notify", "expect", new Absent(null))
            .whenPresent("input", "expect", new Absent(null))
            .whenPresent("choose", "expect", new Absent(null))
            .whenPresent("runbook", "expect", new Absent(null))
            .build();

    // ---- the runbook ----

    static final Obj SLA_LEVEL = obj("sla_level", "The times of one severity.")
            .key("respond", duration("The first action must come within this time."))
            .key("resolve", duration("The incident must be resolved within this time."))
            .build();

    static final Obj SLA = obj("sla", "Response and resolution times, also per severity.")
            .key("respond", duration("The first action must come within this time."))
            .key("resolve", duration("The incident must be resolved within this time."))
            .key("P1", SLA_LEVEL)
            .key("P2", SLA_LEVEL)
            .key("P3", SLA_LEVEL)
            .key("P4", SLA_LEVEL)
            .build();

    static final Obj INPUT = obj("input", "A value given with --var NAME=VALUE or asked at the start.")
            .key("description", text("What to give."))
            .key("default", text("The value when none is given."))
            .key("pattern", text("A regex (Java syntax) the value must match."))
            .key("required", bool("Must be given (default: true when there is no default)."))
            .key("secret", bool("Never echoed, masked in the log."))
            .build();

    static final Obj DRILL = obj("drill", "A sandbox fault this runbook repairs (runbook drill).")
            .required("fault", text("The fault's name."))
            .key("allow_dangerous", bool("The drill may run dangerous steps."))
            .key("inputs", textMap("Input values for the drill."))
            .build();

    static final Obj ESCALATION = obj("escalation", "An escalation tier on the clock.")
            .required("after", duration("Time since the incident opened."))
            .key("unless", text("An expression: the tier is skipped when it is true."))
            .required("notify", text("The message (a template)."))
            .key("to", text("A channel of the environment."))
            .key("severity", textOrTexts("Only at these severities (P1-P4)."))
            .build();

    static final Obj UPDATES = obj("updates", "Posts the incident's course to a channel.")
            .required("channel", text("A channel of the environment."))
            .key(
                    "on",
                    new ListOf(
                            oneWordOf(null, "opened", "escalation", "sla", "closed"),
                            false,
                            "When to post (default: all four)."))
            .key("every", duration("Also post a status this often."))
            .build();

    /** A runbook file: the root of {@code runbook schema runbook}. */
    public static final Obj RUNBOOK = obj("runbook", "An incident runbook (docs/format.md).")
            .required("id", text("The runbook's id: letters, digits, '.', '_' and '-'."))
            .required("title", text("Its title."))
            .required("severity", oneWordOf("The incident's severity.", SEVERITIES))
            .key("service", text("The service it is about."))
            .key("source", text("Where the procedure comes from."))
            .key("tags", texts("Tags."))
            .key("sla", SLA)
            .key("summary", text("What the runbook is for."))
            .key("symptoms", texts("What the responder sees."))
            .key(
                    "inputs",
                    new MapOf(
                            new OneOf(List.of(INPUT, new Shape.Nothing("No definition: a required value.")), null),
                            "Values given at the start: inputs.NAME."))
            .key("vars", textMap("Named values (templates): vars.NAME."))
            .key("secrets", texts("Environment variables read as secrets: secrets.NAME, masked everywhere."))
            .required("steps", new ListOf(STEP, false, "The steps, in order (at least one)."))
            .key("rollback", new ListOf(STEP, false, "Steps that undo the change."))
            .key("verify", new ListOf(STEP, false, "Checks that decide resolved or unresolved."))
            .key("drill", new OneOf(List.of(DRILL, new ListOf(DRILL, false, null)), "Sandbox drills."))
            .key("escalation", new ListOf(ESCALATION, false, "Escalation tiers."))
            .key("updates", UPDATES)
            .build();

    // ---- the inventory ----

    static final Obj DATABASE = obj("database", "A PostgreSQL database.")
            .required("url", text("A JDBC URL, a postgresql:// URI or service=NAME."))
            .key("user", text("The role (default PGUSER)."))
            .key("password", text("${secrets.NAME}; or none, to use PGPASSWORD or ~/.pgpass."))
            .build();

    static final Obj HOST = obj("host", "A host reached over SSH.")
            .key("address", text("Its address (default: the name, through ~/.ssh/config)."))
            .key("port", integer("The SSH port (1-65535)."))
            .key("user", text("The login."))
            .key("identity_file", text("A private key file."))
            .key("passphrase", text("${secrets.NAME} for the key."))
            .key("password", text("${secrets.NAME}."))
            .key("known_hosts", text("The known_hosts file."))
            .key("jump", text("A host of the inventory to jump through."))
            .build();

    static final Obj CHANNEL = obj("channel", "A chat channel.")
            .required("webhook", text("Its incoming webhook URL."))
            .key("format", oneWordOf("slack (default) or json.", "slack", "json"))
            .key("timeout", duration("How long a post may take."))
            .build();

    static final Obj ENVIRONMENT = obj("environment", "One environment: local, sandbox, prod…")
            .key("protected", bool("Mutating steps need the environment's name typed; --yes is refused."))
            .key("vars", textMap("env.NAME values."))
            .key("databases", new MapOf(DATABASE, "Databases by name."))
            .key("hosts", new MapOf(HOST, "Hosts by name."))
            .key("groups", new MapOf(texts(null), "Groups of hosts by name."))
            .key("shell_path", texts("The PATH of shell steps."))
            .key("channels", new MapOf(CHANNEL, "Chat channels by name."))
            .build();

    /** An inventory ({@code environments.yaml}): the root of {@code runbook schema inventory}. */
    public static final Obj INVENTORY = obj("inventory", "The environments a runbook runs against (environments.yaml).")
            .required("environments", new MapOf(ENVIRONMENT, "Environments by name."))
            .key("store", DATABASE)
            .build();
}
