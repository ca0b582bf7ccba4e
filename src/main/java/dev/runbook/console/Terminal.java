package dev.runbook.console;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The process's streams and environment, given to every command so tests can run the
 * CLI in-process with scripted input and captured output.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error
 * @param interactive true when standard input is a terminal (a person can answer prompts)
 * @param env the process environment (secrets, {@code NO_COLOR}, {@code RUNBOOK_LOG_DIR})
 */
public record Terminal(BufferedReader in, PrintWriter out, PrintWriter err, boolean interactive,
                       Map<String, String> env) {

    private static Terminal system;

    /** The real terminal of this process (one instance). */
    public static synchronized Terminal system() {
        if (system == null) {
            system = create();
        }
        return system;
    }

    private static Terminal create() {
        return new Terminal(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), stdinIsTerminal(), System.getenv());
    }

    /**
     * True when standard input is a terminal. {@code System.console()} is null when stdin
     * or stdout is redirected on JDK 17-21; from JDK 22 it is never null and
     * {@code Console.isTerminal()} (looked up reflectively) tells.
     */
    static boolean stdinIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** True when colours are wanted: not disabled by the flag nor by {@code NO_COLOR} (no-color.org). */
    public boolean color(boolean noColorFlag) {
        String nc = env.get("NO_COLOR");
        return !noColorFlag && (nc == null || nc.isEmpty()) && interactive;
    }
}
