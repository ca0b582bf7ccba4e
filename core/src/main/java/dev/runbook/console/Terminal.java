package dev.runbook.console;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * @param ansi true when standard output is a terminal that understands escape codes (colours
 *     and in-place progress make sense): not with {@code TERM=dumb}
 */
public record Terminal(
        BufferedReader in,
        PrintWriter out,
        PrintWriter err,
        boolean interactive,
        Map<String, String> env,
        boolean ansi) {

    private static Terminal system;

    /** The real terminal of this process (one instance). */
    public static synchronized Terminal system() {
        if (system == null) {
            system = create();
        }
        return system;
    }

    private static Terminal create() {
        return new Terminal(
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                isTerminal(0),
                System.getenv(),
                isTerminal(1) && !dumb(System.getenv()));
    }

    /** True when {@code TERM} says the terminal understands no escape codes ({@code dumb}: Emacs shells, some CI consoles). */
    public static boolean dumb(Map<String, String> env) {
        return "dumb".equals(env.get("TERM"));
    }

    /**
     * True when standard input is a terminal (a person can answer prompts), also when
     * standard output is piped ({@code runbook run … | tee walk.txt}). {@code System.console()}
     * needs both to be terminals on JDK 17-21 (and is never null from JDK 22), so the answer
     * comes from {@code test -t FD} (POSIX) run with this process's standard streams.
     *
     * @param fd 0 for standard input, 1 for standard output
     */
    static boolean isTerminal(int fd) {
        // Linux: where the descriptor points, without starting a process (start-up time, issue 12)
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isSymbolicLink(link)) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (java.io.IOException e) {
                // fall through to test -t
            }
        }
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", "test -t " + fd)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(fd == 1 ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor() == 0;
        } catch (java.io.IOException e) {
            return System.console() != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when colours are wanted: stdout is a terminal, and neither the flag nor {@code NO_COLOR} (no-color.org) disables them. */
    public boolean color(boolean noColorFlag) {
        String nc = env.get("NO_COLOR");
        return !noColorFlag && (nc == null || nc.isEmpty()) && ansi;
    }
}
