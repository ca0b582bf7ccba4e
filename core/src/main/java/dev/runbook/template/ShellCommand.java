package dev.runbook.template;

import java.util.Map;

/**
 * A rendered {@code shell}/{@code ssh} command (contract, "Injection-safe by construction"): the
 * script holds no value, only references to variables ({@code "${RUNBOOK_V1}"}); the values
 * travel beside it, as environment variables of the process (local) or through the remote
 * prelude's standard input ({@code ssh}).
 *
 * @param script the command text for {@code /bin/sh -c}: the template with every {@code ${...}}
 *     replaced by a variable reference
 * @param variables {@code RUNBOOK_V1…} to their values, in order
 * @param display the command as a person reads it: values inline, secrets masked; never run
 */
public record ShellCommand(String script, Map<String, String> variables, String display) {

    /** The prefix of the variables that carry the values. */
    public static final String VARIABLE_PREFIX = "RUNBOOK_V";
}
