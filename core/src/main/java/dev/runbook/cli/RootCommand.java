package dev.runbook.cli;

import dev.runbook.console.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code runbook}: the top command; it groups the subcommands and holds the global options. */
@Command(
        name = "runbook",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Walks incident runbooks (YAML step lists) in the terminal: health checks, restarts, queries,"
                    + " decisions and rollbacks, each recorded in a tamper-evident incident log.",
            "",
            "Start with:",
            "  runbook list",
            "  runbook show RB-P1-001",
            "  runbook run RB-P1-001 --env local --dry-run"
        },
        // the subcommands: Subcommands adds them, each built only when invoked
        footer = {
            "",
            "Exit codes: 0 ok/resolved, 1 failed/aborted/rolled back, 2 usage or invalid runbook,"
                    + " 130 interrupted.",
            "Format: docs/format.md"
        })
public final class RootCommand implements Runnable {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--stacktrace",
            scope = ScopeType.INHERIT,
            description = "On an error, print the Java stack trace too.")
    boolean stacktrace;

    @Option(
            names = "--no-color",
            scope = ScopeType.INHERIT,
            description = "No colours (also when NO_COLOR is set, TERM=dumb, or the output is not a terminal).")
    boolean noColor;

    /** @param terminal unused by the root itself; subcommands get their own */
    public RootCommand(Terminal terminal) {
        // picocli builds commands through Cli's factory
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new ExitException(ExitCodes.USAGE, "a subcommand is needed (see above)");
    }
}
