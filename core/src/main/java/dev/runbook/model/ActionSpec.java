package dev.runbook.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a step does: one record per action key of the contract ("Actions" table).
 * String fields may hold {@code ${...}} templates; they are rendered at run time.
 */
public sealed interface ActionSpec {

    /** The action key as written in YAML: {@code http}, {@code shell}, … */
    String key();

    /** The spec's strings that may hold templates, nulls left out. */
    List<String> templates();

    /** Builds a list of the non-null strings given and of the extra lists. */
    private static List<String> strings(List<String> extra, String... values) {
        List<String> out = new java.util.ArrayList<>();
        for (String v : values) {
            if (v != null) {
                out.add(v);
            }
        }
        out.addAll(extra);
        return out;
    }

    /** True when the action can change the world (guarded in protected environments). */
    default boolean mutating() {
        return false;
    }

    /** Assertions on a process's exit and output ({@code shell}, {@code ssh}); fields may be null. */
    record ExecExpect(Integer exit, String stdoutContains, String stdoutMatches) {
        /** The default: exit 0. */
        public static final ExecExpect DEFAULT = new ExecExpect(null, null, null);
    }

    /**
     * {@code http}: one request.
     *
     * @param method GET by default
     * @param url the URL template
     * @param headers header name to value template
     * @param body request body template; may be null
     * @param insecure true to skip TLS certificate checks (never the default)
     * @param expectStatus accepted status codes; empty means any 2xx
     * @param bodyContains text the body must contain; may be null
     * @param json JSON Pointer to expected value
     * @param maxLatency slowest acceptable answer; may be null
     */
    record Http(
            String method,
            String url,
            Map<String, String> headers,
            String body,
            boolean insecure,
            List<Integer> expectStatus,
            String bodyContains,
            Map<String, Object> json,
            Duration maxLatency)
            implements ActionSpec {
        @Override
        public List<String> templates() {
            return strings(List.copyOf(headers.values()), url, body, bodyContains);
        }

        @Override
        public String key() {
            return "http";
        }

        @Override
        public boolean mutating() {
            return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
        }
    }

    /**
     * {@code shell}: a command line run by {@code /bin/sh -c} on the operator's machine.
     *
     * @param command the command template; values reach it as variables (contract)
     * @param workdir working directory template, or null
     * @param env environment variables of the child (templates)
     * @param expect the {@code expect} keys
     * @param allowOptionValues the step's {@code allow_option_values}: a value that starts with
     *     {@code -} may begin a word
     */
    record Shell(String command, String workdir, Map<String, String> env, ExecExpect expect, boolean allowOptionValues)
            implements ActionSpec {
        @Override
        public List<String> templates() {
            return strings(List.copyOf(env.values()), command, workdir, expect.stdoutContains());
        }

        @Override
        public String key() {
            return "shell";
        }

        @Override
        public boolean mutating() {
            return true;
        }
    }

    /**
     * {@code ssh}: a command on inventory hosts.
     *
     * @param hosts host or group names of the environment
     * @param command the remote command template
     * @param parallel how many hosts at once (1: one after another)
     * @param expect the {@code expect} keys, checked on every host
     * @param allowOptionValues the step's {@code allow_option_values}
     */
    record Ssh(List<String> hosts, String command, int parallel, ExecExpect expect, boolean allowOptionValues)
            implements ActionSpec {
        @Override
        public List<String> templates() {
            return strings(List.of(), command, expect.stdoutContains());
        }

        @Override
        public String key() {
            return "ssh";
        }

        @Override
        public boolean mutating() {
            return true;
        }
    }

    /**
     * {@code sql}: one statement on an environment database.
     *
     * @param query SQL text; templates become bind parameters
     * @param database a database name of the environment; null for its first one
     * @param rowCount exact row count expected; may be null
     * @param minRows may be null
     * @param maxRows may be null
     */
    record Sql(String query, String database, Integer rowCount, Integer minRows, Integer maxRows)
            implements ActionSpec {
        @Override
        public List<String> templates() {
            return strings(List.of(), query);
        }

        @Override
        public String key() {
            return "sql";
        }

        /**
         * Read-only only when the query is a {@code SELECT}, {@code SHOW}, an {@code EXPLAIN} without
         * {@code ANALYZE} (which runs the statement), or a
         * {@code WITH} without {@code INSERT/UPDATE/DELETE}, and every function it calls is one of
         * PostgreSQL's read-only built-ins ({@link #READ_ONLY_FUNCTIONS}): {@code SELECT
         * update_feature_flag('x', false)} changes the world, and the tool cannot see into a
         * function, so any other call counts as mutating.
         */
        @Override
        public boolean mutating() {
            String q = query.stripLeading().toLowerCase(java.util.Locale.ROOT);
            boolean reads = q.startsWith("select")
                    || q.startsWith("show")
                    || q.startsWith("explain") && !q.matches("(?s)explain\\s*(\\(.*)?\\banalyze\\b.*")
                    || q.startsWith("with") && !q.matches("(?s).*\\b(insert|update|delete)\\b.*");
            if (!reads) {
                return true;
            }
            java.util.regex.Matcher m = CALL.matcher(q.replaceAll("'(?:[^']|'')*'", "''"));
            while (m.find()) {
                if (!READ_ONLY_FUNCTIONS.contains(m.group(1))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A name followed by {@code (}: a function call, or a keyword such as {@code IN (}. */
    java.util.regex.Pattern CALL = java.util.regex.Pattern.compile("\\b([a-z_][a-z0-9_.]*)\\s*\\(");

    /** SQL keywords that take parentheses, and PostgreSQL built-in functions that only read. */
    java.util.Set<String> READ_ONLY_FUNCTIONS = java.util.Set.of(
            "in",
            "exists",
            "any",
            "all",
            "some",
            "values",
            "cast",
            "coalesce",
            "nullif",
            "greatest",
            "least",
            "filter",
            "over",
            "partition",
            "within",
            "as",
            "from",
            "select",
            "and",
            "or",
            "not",
            "on",
            "using",
            "interval",
            "count",
            "sum",
            "avg",
            "min",
            "max",
            "bool_and",
            "bool_or",
            "array_agg",
            "string_agg",
            "json_agg",
            "jsonb_agg",
            "now",
            "current_timestamp",
            "current_setting",
            "current_database",
            "version",
            "round",
            "abs",
            "floor",
            "ceil",
            "extract",
            "date_trunc",
            "age",
            "to_char",
            "to_timestamp",
            "lower",
            "upper",
            "length",
            "substring",
            "replace",
            "split_part",
            "pg_is_in_recovery",
            "pg_last_xact_replay_timestamp",
            "pg_last_wal_receive_lsn",
            "pg_last_wal_replay_lsn",
            "pg_database_size",
            "pg_size_pretty",
            "pg_total_relation_size",
            "pg_relation_size",
            "pg_postmaster_start_time",
            "inet_server_addr",
            "percentile_cont",
            "percentile_disc",
            "row_number",
            "rank",
            "dense_rank",
            "lag",
            "lead",
            "generate_series",
            "unnest",
            "case",
            "when",
            "then",
            "else",
            "where",
            "limit",
            "by",
            "group",
            "order",
            "having",
            "join",
            "lateral",
            "is",
            "like",
            "ilike",
            "similar",
            "between",
            "distinct",
            "row",
            "array");

    /**
     * {@code runbook}: runs another runbook of the library as a child incident (extension,
     * docs/format.md "One runbook calling another"); short form {@code runbook: RB-P1-003}.
     *
     * @param id the called runbook's id
     * @param inputs its input values, templates
     */
    record Call(String id, Map<String, String> inputs) implements ActionSpec {
        @Override
        public List<String> templates() {
            return strings(List.copyOf(inputs.values()));
        }

        @Override
        public String key() {
            return "runbook";
        }

        /** The child runs steps that may change things. */
        @Override
        public boolean mutating() {
            return true;
        }
    }

    /** {@code manual}: Markdown instructions, and an optional checklist, for the operator. */
    record Manual(String text, List<String> checklist) implements ActionSpec {
        @Override
        public List<String> templates() {
            return strings(checklist, text);
        }

        @Override
        public String key() {
            return "manual";
        }
    }

    /** {@code wait}: a pause with a visible countdown. */
    record Wait(Duration duration, String message) implements ActionSpec {
        @Override
        public List<String> templates() {
            return strings(List.of(), message);
        }

        @Override
        public String key() {
            return "wait";
        }
    }

    /**
     * {@code notify}: a message printed, and POSTed as {@code {"text": …}} when {@code webhook} is set, or to a
     * channel of the environment ({@code channel}, docs/format.md "Chat channels").
     */
    record Notify(String message, String webhook, String channel) implements ActionSpec {
        @Override
        public List<String> templates() {
            return strings(List.of(), message, webhook);
        }

        @Override
        public String key() {
            return "notify";
        }
    }

    /** {@code input}: asks the operator for a value, stored as {@code inputs.<name>}. */
    record Input(String name, String description, String pattern, String defaultValue, boolean secret)
            implements ActionSpec {
        @Override
        public List<String> templates() {
            return strings(List.of(), description, defaultValue);
        }

        @Override
        public String key() {
            return "input";
        }
    }

    /** One option of a {@code choose}: its label and the step it leads to (null: next step). */
    record Option(String label, FlowTarget gotoStep) {}

    /** {@code choose}: the operator picks an option; the run goes to its step. */
    record Choose(String question, List<Option> options, String defaultOption) implements ActionSpec {
        @Override
        public List<String> templates() {
            return strings(options.stream().map(Option::label).toList(), question);
        }

        @Override
        public String key() {
            return "choose";
        }

        /** The default option, or null when there is none. */
        public Option defaultChoice() {
            if (defaultOption == null) {
                return null;
            }
            for (Option o : options) {
                if (o.label().equals(defaultOption)) {
                    return o;
                }
            }
            try {
                int n = Integer.parseInt(defaultOption.trim());
                return n >= 1 && n <= options.size() ? options.get(n - 1) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
