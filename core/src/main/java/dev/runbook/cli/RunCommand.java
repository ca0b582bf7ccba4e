package dev.runbook.cli;

import dev.runbook.console.ConsoleOperator;
import dev.runbook.console.Terminal;
import dev.runbook.engine.ChildRuns;
import dev.runbook.engine.Mode;
import dev.runbook.engine.Plan;
import dev.runbook.engine.PlanException;
import dev.runbook.engine.Planner;
import dev.runbook.lock.ResponderLock;
import dev.runbook.model.Inventory;
import dev.runbook.model.Runbook;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
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
 * {@code runbook run RUNBOOK}: walks a runbook against an environment, interactively,
 * unattended ({@code --yes}) or as a plan ({@code --dry-run}), writing the incident log.
 * Exit codes per the contract: 0 resolved (or a valid plan), 1 failed/aborted/rolled back,
 * 2 usage or invalid input (nothing ran), 130 interrupted.
 */
@Command(
        name = "run",
        header = "Walk a runbook and record everything in an incident log.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Walk a runbook step by step and record everything in an incident log.",
            "",
            "Interactive (stdin is a terminal): each step is shown, then",
            "  Run step 3/12 restart-backend? [Y,s,n,a,b,?]",
            "  Enter/y run · s skip · n add a note · a abort · b turn to rollback · ? help",
            "After a failure: Enter follows the runbook's on_failure · r retry · s skip · a abort · b rollback.",
            "Dangerous steps, and mutating steps in a protected environment, need the environment name typed."
        },
        footer = {
            "",
            "Examples:",
            "  runbook run RB-P1-001 --env local --dry-run       # the plan, nothing touched",
            "  runbook run RB-P1-003 --env local                 # interactive walk",
            "  runbook run runbooks/rollback/rollback-git-sha-rollback-production.yaml --env local --yes --var stable_sha=a1b2c3d",
            "",
            "Secrets declared in a runbook's 'secrets:' are read from the process environment.",
            "Logs: --log-dir, else $RUNBOOK_LOG_DIR, else ./incidents; read them with 'runbook log'.",
            "",
            "Exit codes: 0 resolved (or a valid --dry-run), 1 failed, aborted or rolled back,",
            "2 usage error or invalid runbook/inventory (nothing ran), 130 interrupted (Ctrl-C)."
        })
public final class RunCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUNBOOK", description = "A runbook file, or a runbook id from the library (--dir).")
    String runbook;

    @Option(
            names = "--env",
            paramLabel = "NAME",
            description =
                    "Environment of the inventory to run against (needed when the runbook uses env.*, sql or ssh).")
    String env;

    @Option(
            names = "--inventory",
            paramLabel = "FILE",
            description = "Inventory file (default: environments.yaml beside the runbook, else in --dir).")
    Path inventory;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Value of an input (repeatable).")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(
            names = {"--yes", "-y"},
            description = "Unattended: no prompts; manual steps are skipped, choose takes its"
                    + " default; refused on protected environments.")
    boolean yes;

    @Option(names = "--dry-run", description = "Show the resolved plan and log it; touch nothing.")
    boolean dryRun;

    @Option(
            names = "--start-at",
            paramLabel = "STEP",
            description = "Start a new incident at this step of the main walk: the steps before it were done by"
                    + " hand (recorded in the log; refused when a later step reads their results).")
    String startAt;

    @Option(names = "--allow-dangerous", description = "With --yes: run steps marked dangerous (refused otherwise).")
    boolean allowDangerous;

    @Mixin
    LibraryDirOption library;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "Where the incident log is written.")
    Path logDir;

    @Mixin
    ResponderOptions responder;

    @Mixin
    ColorOption color;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    /** @param terminal streams, interactivity and environment */
    public RunCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Mode mode = dryRun ? Mode.DRY_RUN : yes ? Mode.AUTO : terminal.interactive() ? Mode.INTERACTIVE : null;
        if (mode == null) {
            throw new ExitException(
                    ExitCodes.USAGE,
                    "standard input is not a terminal: give --yes for an unattended"
                            + " run, or --dry-run to see the plan");
        }
        Runbook rb = RunbookRef.load(runbook, library.dir(), terminal.err());
        Inventory inv = loadInventory(rb);
        ConsoleOperator console = new ConsoleOperator(terminal, color.style(terminal), mode == Mode.INTERACTIVE);
        if (mode == Mode.INTERACTIVE && !rb.inputs().isEmpty()) {
            console.info(rb.id() + " · " + rb.title() + ": inputs (Enter keeps the [default])");
        }
        Path dir = LogDirs.resolve(logDir, spec);
        Plan plan = plan(rb, inv, mode, console);
        // after the plan (nothing is written when it is refused), before the log
        Team team = new Team(TeamStore.of(inv, terminal.env()), responder.signers(library.dir()));
        try (ResponderLock lock =
                mode == Mode.DRY_RUN ? null : responder.lock(rb.id(), env, dir, host(), team.store(), console::info)) {
            ChildRuns children =
                    new ChildIncidents(library.dir(), inv, dir, terminal, console, responder.signingKey(), team);
            return IncidentRun.execute(plan, console, dir, terminal, responder.signingKey(), lock, children, team)
                    .exitCode();
        }
    }

    private Plan plan(Runbook rb, Inventory inv, Mode mode, ConsoleOperator console) {
        Plan plan;
        try {
            plan = Planner.plan(new Planner.Request(
                    rb,
                    inv,
                    env,
                    mode,
                    vars,
                    terminal.env(),
                    responder.operator(),
                    host(),
                    allowDangerous,
                    mode == Mode.INTERACTIVE ? console::askInput : null,
                    true));
        } catch (PlanException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage(), e);
        }
        console.masker(plan.masker());
        if (startAt != null) {
            try {
                return plan.startingAt(startAt);
            } catch (PlanException e) {
                throw new ExitException(ExitCodes.USAGE, e.getMessage(), e);
            }
        }
        return plan;
    }

    private Inventory loadInventory(Runbook rb) {
        return env == null && inventory == null ? null : InventoryFiles.load(inventory, rb, library.dir(), terminal);
    }

    private String host() {
        return localHost(terminal.env());
    }

    /** This machine's name, as runs record it ({@code HOSTNAME}, else "unknown", when it cannot be read). */
    static String localHost(Map<String, String> env) {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String h = env.get("HOSTNAME");
            return h == null ? "unknown" : h;
        }
    }
}
