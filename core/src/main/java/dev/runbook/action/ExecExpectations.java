package dev.runbook.action;

import dev.runbook.model.ActionSpec;
import dev.runbook.template.Rendered;
import dev.runbook.template.Renderer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The one evaluator of the {@code shell}/{@code ssh} {@code expect} keys (contract, "Actions":
 * {@code exit} (default 0), {@code stdout_contains}, {@code stdout_matches}) on one process's
 * outcome, local or on one remote host.
 */
final class ExecExpectations {

    /**
     * How one process ended.
     *
     * @param exit its exit status; -1 when there is none
     * @param signal the signal that killed it (without {@code SIG}), or null
     * @param stdout what it wrote on stdout
     * @param stderr what it wrote on stderr
     */
    record Ended(int exit, String signal, String stdout, String stderr) {}

    private ExecExpectations() {}

    /**
     * Checks every expectation.
     *
     * @param expect the step's {@code expect}; null means {@code exit: 0}
     * @param r renders the templates in {@code stdout_contains} and {@code stdout_matches}
     * @param p how the process ended
     * @return one message per false expectation (secrets shown masked); empty when all hold
     */
    static List<String> problems(ActionSpec.ExecExpect expect, Renderer r, Ended p) {
        ActionSpec.ExecExpect e = expect == null ? ActionSpec.ExecExpect.DEFAULT : expect;
        List<String> problems = new ArrayList<>();
        int wanted = e.exit() == null ? 0 : e.exit();
        if (p.exit() != wanted) {
            String why = p.exit() != -1
                    ? "exit " + p.exit()
                    : p.signal() != null
                            ? "killed by SIG" + p.signal()
                            : "no exit status (connection lost before the command ended)";
            String last = lastLine(p.stderr());
            problems.add(why + " (expected " + wanted + ")" + (last.isEmpty() ? "" : ": " + last));
        }
        if (e.stdoutContains() != null) {
            Rendered needle = r.text(e.stdoutContains());
            if (!p.stdout().contains(needle.text())) {
                problems.add("stdout does not contain \"" + needle.display() + "\"");
            }
        }
        if (e.stdoutMatches() != null) {
            Rendered regex = r.text(e.stdoutMatches());
            try {
                if (!Pattern.compile(regex.text()).matcher(p.stdout()).find()) {
                    problems.add("stdout does not match /" + regex.display() + "/");
                }
            } catch (PatternSyntaxException ex) {
                problems.add("stdout_matches: invalid regex /" + regex.display() + "/: " + ex.getDescription());
            }
        }
        return problems;
    }

    /** The last non-blank line of a text, at most 200 characters. */
    static String lastLine(String text) {
        String t = text == null ? "" : text.strip();
        int i = t.lastIndexOf('\n');
        String last = i < 0 ? t : t.substring(i + 1).strip();
        return last.length() > 200 ? last.substring(0, 200) + "…" : last;
    }
}
