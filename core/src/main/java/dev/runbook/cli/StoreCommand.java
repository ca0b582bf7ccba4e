package dev.runbook.cli;

import dev.runbook.console.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code runbook store}: the team's incident store on PostgreSQL (docs/team.md). */
@Command(
        name = "store",
        header = "Set up the team's incident store on PostgreSQL.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "The team's incidents in one PostgreSQL database, declared in environments.yaml as",
            "store: {url, user, password}: every run copies its events there after its local log,",
            "'log list|show|follow|export|stats|verify|status' read it from any machine, and the",
            "(runbook, environment) lock holds across machines. See docs/team.md."
        },
        subcommands = {StoreInitCommand.class},
        footer = {"", "Examples:", "  runbook store init --inventory runbooks/environments.yaml"})
public final class StoreCommand implements Runnable {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    /** @param terminal unused by the group itself */
    public StoreCommand(Terminal terminal) {
        // subcommands get their own terminal
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new ExitException(ExitCodes.USAGE, "a subcommand of 'store' is needed (see above)");
    }
}
