package dev.runbook.cli;

import dev.runbook.console.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code runbook log}: groups the subcommands that read incident logs (list, show, follow, verify, export, stats, status). */
@Command(
        name = "log",
        header = "Read incident logs: list, timeline, follow, verify, export, stats, status.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Read the incident logs that 'runbook run' writes (one JSON Lines file per incident,",
            "hash-chained): list them, show a timeline, verify the chain, export the post-mortem,",
            "compute MTTA/MTTR/MTBF, write the status message for Slack or e-mail."
        },
        subcommands = {
            LogListCommand.class,
            LogShowCommand.class,
            LogFollowCommand.class,
            LogVerifyCommand.class,
            LogExportCommand.class,
            LogStatsCommand.class,
            LogStatusCommand.class,
            LogPushCommand.class
        },
        footer = {
            "",
            "INCIDENT is an incident id, a unique prefix of one, or a path to a .jsonl log.",
            "Logs are read from --log-dir, else $RUNBOOK_LOG_DIR, else ./incidents; from the team store",
            "(docs/team.md) with --store, or by default when the inventory declares one.",
            "",
            "Examples:",
            "  runbook log list",
            "  runbook log show 20261121T1023",
            "  runbook log follow 20261121T1023         # a running incident, event by event",
            "  runbook log export 20261121T102345Z-RB-P1-003 --format html -o postmortem.html",
            "  runbook log stats --since 2026-10-01"
        })
public final class LogCommand implements Runnable {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    /** @param terminal unused by the group itself */
    public LogCommand(Terminal terminal) {
        // subcommands get their own terminal
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new ExitException(ExitCodes.USAGE, "a subcommand of 'log' is needed (see above)");
    }
}
