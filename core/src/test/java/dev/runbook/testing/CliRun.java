package dev.runbook.testing;

import dev.runbook.cli.Cli;
import dev.runbook.console.Terminal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the {@code runbook} CLI in-process with scripted input and captured output, the
 * way kcctl's tests do (design notes).
 *
 * @param code the exit code
 * @param out what was printed on stdout
 * @param err what was printed on stderr
 */
public record CliRun(int code, String out, String err) {

    /** Builds a run: input lines, interactivity and environment variables. */
    public static final class Builder {
        private String input = "";
        private boolean interactive;
        private boolean ansi;
        private final Map<String, String> env = new HashMap<>();

        /** Lines typed at the prompts, in order. */
        public Builder typing(String... lines) {
            this.input = String.join("\n", lines) + "\n";
            this.interactive = true;
            return this;
        }

        /** Marks stdin as a terminal (or not). */
        public Builder interactive(boolean yes) {
            this.interactive = yes;
            return this;
        }

        /** Marks stdout as a colour terminal (or not; by default it is not). */
        public Builder ansi(boolean yes) {
            this.ansi = yes;
            return this;
        }

        /** An environment variable of the process (secrets, NO_COLOR...). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Runs the CLI with these arguments. */
        public CliRun run(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            env.putIfAbsent("NO_COLOR", "1");
            Terminal t = new Terminal(
                    new BufferedReader(new StringReader(input)),
                    new PrintWriter(out, true),
                    new PrintWriter(err, true),
                    interactive,
                    env,
                    ansi);
            int code = Cli.create(t, args).execute(args);
            return new CliRun(code, out.toString(), err.toString());
        }
    }

    /** A new builder. */
    public static Builder with() {
        return new Builder();
    }

    /** Runs the CLI non-interactively with no input. */
    public static CliRun run(String... args) {
        return with().run(args);
    }

    /** The single incident log in a directory. */
    public static Path onlyLog(Path logDir) throws IOException {
        try (Stream<Path> s = Files.list(logDir)) {
            List<Path> logs = s.filter(p -> p.toString().endsWith(".jsonl")).toList();
            if (logs.size() != 1) {
                throw new AssertionError("expected one log in " + logDir + ", found " + logs);
            }
            return logs.get(0);
        }
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
