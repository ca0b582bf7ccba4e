package dev.runbook.cli;

import dev.runbook.console.ConsoleOperator;
import dev.runbook.console.PlanDocument;
import dev.runbook.console.Terminal;
import dev.runbook.engine.Actions;
import dev.runbook.engine.DryRun;
import dev.runbook.engine.Mode;
import dev.runbook.engine.Plan;
import dev.runbook.engine.PlanException;
import dev.runbook.engine.Planner;
import dev.runbook.model.Inventory;
import dev.runbook.model.Runbook;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runbook show RUNBOOK}: the runbook rendered for reading: header, symptoms, SLA,
 * every step with its resolved target (with {@code --env}, the environment's values;
 * without, placeholders), and the rollback section. Writes no log, touches nothing.
 */
@Command(
        name = "show",
        header = "Show a runbook for reading.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = "Show a runbook for reading: symptoms, steps with their resolved commands, rollback.",
        footer = {
            "",
            "Examples:",
            "  runbook show RB-P1-001",
            "  runbook show RB-P1-003 --env prod",
            "  runbook show RB-P1-001 --format json | jq '.steps[] | select(.dangerous) | .id'"
        })
public final class ShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUNBOOK", description = "A runbook file, or a runbook id from the library (--dir).")
    String runbook;

    @Option(names = "--env", paramLabel = "NAME", description = "Resolve env.* with this environment's values.")
    String env;

    @Option(names = "--inventory", paramLabel = "FILE", description = "Inventory file (default: found as for run).")
    Path inventory;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Value of an input (repeatable).")
    Map<String, String> vars = new LinkedHashMap<>();

    @Mixin
    LibraryDirOption library;

    @Mixin
    ColorOption color;

    @Mixin
    FormatOption format;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    /** @param terminal where the runbook is printed */
    public ShowCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Runbook rb = RunbookRef.load(runbook, library.dir(), terminal.err());
        Inventory inv = env == null ? null : InventoryFiles.load(inventory, rb, library.dir(), terminal);
        format.require(FormatOption.Format.TEXT, FormatOption.Format.JSON, FormatOption.Format.JSONL);
        Plan plan;
        try {
            plan = Planner.plan(new Planner.Request(
                    rb,
                    inv,
                    env,
                    Mode.DRY_RUN,
                    vars,
                    terminal.env(),
                    ConfiguredDefaults.of(spec)
                            .resolved(dev.runbook.config.UserConfig.Key.OPERATOR)
                            .value(), // the operator a run would record
                    "",
                    false,
                    null,
                    false));
        } catch (PlanException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage(), e);
        }
        Clock clock = Clock.systemUTC();
        if (format.machine()) {
            PlanDocument doc = new PlanDocument();
            new DryRun(plan, doc, Actions.standard()).run(null, clock, clock.instant());
            if (format.format() == FormatOption.Format.JSON) {
                format.printDocument(terminal.out(), doc.document());
            } else {
                format.print(terminal.out(), doc.rows());
            }
            return ExitCodes.OK;
        }
        ConsoleOperator console = new ConsoleOperator(terminal, color.style(terminal), false);
        new DryRun(plan, console, Actions.standard()).run(null, clock, clock.instant());
        return ExitCodes.OK;
    }
}
