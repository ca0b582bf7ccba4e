package dev.runbook.cli;

import dev.runbook.console.ConsoleOperator;
import dev.runbook.console.Terminal;
import dev.runbook.engine.Mode;
import dev.runbook.engine.Plan;
import dev.runbook.engine.PlanException;
import dev.runbook.engine.Planner;
import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.load.Library;
import dev.runbook.lock.ResponderLock;
import dev.runbook.lock.RunLock;
import dev.runbook.model.Inventory;
import dev.runbook.model.Outcome;
import dev.runbook.model.Phase;
import dev.runbook.model.Runbook;
import dev.runbook.sandbox.Fault;
import dev.runbook.sandbox.Faults;
import dev.runbook.sandbox.Sandbox;
import dev.runbook.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runbook drill RUNBOOK --fault NAME} and {@code runbook drill --all}: starts a sandbox in
 * this process, and for each drill resets it, injects the fault, runs the runbook against env
 * {@code sandbox} through the same Planner/Engine/JournalWriter/ConsoleOperator path as
 * {@code runbook run --yes} (or interactively with {@code --interactive}), then checks the fault
 * is gone and the service healthy: PASS when the run resolved and the sandbox is healthy, FAIL
 * otherwise. One sandbox for all drills, reset between them. {@code --junit FILE} writes a
 * JUnit XML report. Exit 0 when every drill passed, 1 otherwise, 2 on a usage error.
 */
@Command(
        name = "drill",
        header = "Prove a runbook fixes its fault: sandbox, fault, unattended run, check.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Starts a sandbox in this process, injects the fault, runs the runbook against env 'sandbox'",
            "(unattended, mode 'drill', unless --interactive), then checks on the real services that the fault",
            "is gone, the service healthy and the run 'resolved' (its verify section passed), and prints PASS",
            "or FAIL with the incident log's path (under the log directory's drills/)."
        },
        footer = {
            "",
            "Examples:",
            "  runbook drill RB-P1-001 --fault api-down",
            "  runbook drill RB-P1-003                        # every drill of the runbook's 'drill:' key",
            "  runbook drill --all --junit target/drills.xml  # every runbook that declares a drill",
            "  runbook drill RB-P1-001 --mutate               # which steps the repair really needs",
            "",
            "Exit codes: 0 every drill passed, 1 a drill failed (or an all-skipped mutant passed), 2 usage error."
        })
public final class DrillCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUNBOOK", arity = "0..1", description = "A runbook file or id (not with --all).")
    String runbook;

    @Option(
            names = "--fault",
            paramLabel = "NAME",
            description = "The fault to inject (default: every drill the runbook declares).")
    String fault;

    @Option(names = "--all", description = "Every runbook of --dir that declares 'drill:'.")
    boolean all;

    @Option(
            names = "--mutate",
            description = {
                "Mutation testing: after the drill passes, run it again once per mutating step on its path",
                "(shell, ssh, sql other than a read-only query, http other than GET/HEAD) with that step replaced",
                "by a no-op, and once with every step skipped; print which steps are load-bearing. Exit 1 when",
                "the drill fails or when it passes with every step skipped."
            })
    boolean mutate;

    @Option(names = "--interactive", description = "Walk the runbook interactively instead of unattended.")
    boolean interactive;

    @Option(
            names = "--attach",
            description = "Use the sandbox already running ('runbook sandbox --detach') instead of starting one: it"
                    + " outlives a drill that is killed, which can then be resumed (--resume).")
    boolean attach;

    @Option(
            names = "--resume",
            paramLabel = "INCIDENT",
            description = "Resume a drill that was killed half-way, against the running sandbox, and give its"
                    + " verdict (the fault: --fault, else the runbook's one drill).")
    String resume;

    @Option(
            names = "--in-flight",
            paramLabel = "CHOICE",
            description = "With --resume: what becomes of the step that was running (rerun, done, skip, abort;"
                    + " default rerun).")
    String inFlight;

    @Option(
            names = "--junit",
            paramLabel = "FILE",
            description = "Write a JUnit XML report (one testcase per drill and per mutant).")
    Path junit;

    @Mixin
    LibraryDirOption library;

    @Option(
            names = "--inventory",
            paramLabel = "FILE",
            description = "Inventory file (default: DIR/environments.yaml).")
    Path inventory;

    @Option(
            names = "--log-dir",
            paramLabel = "DIR",
            description = "Where the drills' logs are written (default: the log directory's drills/).")
    Path logDir;

    @Mixin
    ColorOption color;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Terminal terminal;

    /** @param terminal streams, interactivity and environment */
    public DrillCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** One drill to run: the runbook, its fault, whether dangerous steps may run unattended, its inputs. */
    private record Drill(Runbook runbook, String fault, boolean allowDangerous, Map<String, String> inputs) {}

    @Override
    public Integer call() {
        if (resume != null) {
            if (all || runbook != null || mutate || interactive) {
                throw new ExitException(
                        ExitCodes.USAGE,
                        "--resume takes an incident: no RUNBOOK, --all, --mutate" + " or --interactive");
            }
            if (Unshare.needed(terminal)) {
                return Unshare.reexec(spec.root().commandLine().getParseResult().originalArgs());
            }
            return resumeDrill();
        }
        if (all == (runbook != null)) {
            throw new ExitException(ExitCodes.USAGE, "give a RUNBOOK or --all");
        }
        if (all && fault != null) {
            throw new ExitException(ExitCodes.USAGE, "--fault is for one runbook; --all uses each runbook's drill");
        }
        if (mutate && interactive) {
            throw new ExitException(ExitCodes.USAGE, "--mutate runs unattended: not with --interactive");
        }
        if (interactive && !terminal.interactive()) {
            throw new ExitException(ExitCodes.USAGE, "--interactive needs a terminal on standard input");
        }
        if (Unshare.needed(terminal)) {
            return Unshare.reexec(spec.root().commandLine().getParseResult().originalArgs());
        }
        List<Drill> drills = all ? declared() : one();
        if (drills.isEmpty()) {
            throw new ExitException(ExitCodes.USAGE, "no runbook in " + library.dir() + " declares a drill");
        }
        Faults known = new Faults();
        for (Drill d : drills) {
            if (known.get(d.fault()).isEmpty()) {
                throw new ExitException(
                        ExitCodes.USAGE,
                        d.runbook().id() + ": unknown fault '" + d.fault() + "' (known: "
                                + String.join(
                                        ", ",
                                        known.all().stream().map(Fault::name).toList()) + ")");
            }
        }
        Inventory inv = SandboxCommand.inventory(inventory, library.dir(), terminal);
        SandboxConfig cfg = SandboxCommand.config(inv);
        PrintWriter out = terminal.out();
        List<JUnitReport.Case> cases = new ArrayList<>();
        try (DrillSandbox sb =
                attach ? new DrillSandbox.Attached(cfg) : new DrillSandbox.InProcess(startSandbox(cfg))) {
            out.printf(
                    "sandbox: app :%d, postgresql :%d, ssh :%d (127.0.0.1)%n",
                    cfg.apiPort(), cfg.pgPort(), cfg.sshPort());
            boolean first = !attach; // an attached sandbox may hold another drill's state
            for (Drill d : drills) {
                if (!first) {
                    sb.reset();
                }
                first = false;
                Instant t0 = Instant.now();
                out.printf("━━ drill %s · fault %s ━━%n", d.runbook().id(), d.fault());
                Verdict v = attempt(sb, inv, d, new Mutation.None(), terminal);
                cases.add(verdict(d, d.fault(), t0, v.log(), v.failure()));
                if (mutate) {
                    cases.addAll(mutants(sb, inv, d, v));
                }
            }
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, "sandbox: " + e.getMessage(), e);
        }
        long passed = cases.stream().filter(c -> c.failure() == null).count();
        out.printf("%d passed, %d failed%n", passed, cases.size() - passed);
        if (junit != null) {
            try {
                JUnitReport.write(junit, "runbook drills", cases);
            } catch (IOException e) {
                throw new ExitException(ExitCodes.FAILED, "cannot write " + junit + ": " + e.getMessage(), e);
            }
            out.println("JUnit report: " + junit);
        }
        out.flush();
        return passed == cases.size() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /**
     * {@code --resume INCIDENT}: {@code runbook resume} of a killed drill's log (mode drill, against
     * the running sandbox), then the drill's verdict on that sandbox.
     */
    private int resumeDrill() {
        SandboxConfig cfg = SandboxCommand.config(inventory, library.dir(), terminal);
        DrillSandbox sb = new DrillSandbox.Attached(cfg);
        Path dir = drillLogDir();
        Path file = LogSupport.find(resume, dir);
        JournalReader.Event opened;
        try {
            opened = JournalReader.read(file).get(0);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new ExitException(ExitCodes.FAILED, file + ": cannot read: " + e.getMessage(), e);
        }
        if (!"drill".equals(opened.str("mode"))) {
            throw new ExitException(
                    ExitCodes.USAGE,
                    file + " is not a drill (mode " + opened.str("mode") + "): continue it with 'runbook resume'");
        }
        Object meta = opened.fields().get("runbook");
        String id = meta instanceof Map<?, ?> m ? String.valueOf(m.get("id")) : null;
        Runbook rb = RunbookRef.load(id, library.dir(), terminal.err());
        List<Runbook.Drill> declared = rb.drills().stream()
                .filter(d -> fault == null || d.fault().equals(fault))
                .toList();
        if (fault == null && declared.size() != 1) {
            throw new ExitException(
                    ExitCodes.USAGE, rb.id() + " declares " + declared.size() + " drills: give --fault");
        }
        Drill d = declared.isEmpty()
                ? new Drill(rb, fault, false, Map.of())
                : new Drill(
                        rb,
                        declared.get(0).fault(),
                        declared.get(0).allowDangerous(),
                        declared.get(0).inputs());
        List<String> args = new ArrayList<>(List.of(
                "resume",
                file.toString(),
                "--yes",
                "--operator",
                "drill",
                "--in-flight",
                inFlight == null ? "rerun" : inFlight,
                "--dir",
                library.dir().toString(),
                "--log-dir",
                dir.toString()));
        if (inventory != null) {
            args.addAll(List.of("--inventory", inventory.toString()));
        }
        if (d.allowDangerous()) {
            args.add("--allow-dangerous");
        }
        Instant t0 = Instant.now();
        String[] argv = args.toArray(String[]::new);
        int code = Cli.create(terminal, argv).execute(argv);
        String failure = null;
        if (code != ExitCodes.OK) {
            failure = "the resumed run exited " + code;
        } else if (sb.active(d.fault())) {
            failure = "fault " + d.fault() + " is still active after the run";
        } else if (!sb.healthy()) {
            failure = "the service is not healthy after the run (active: " + sb.activeFaults() + ")";
        }
        JUnitReport.Case c = verdict(d, d.fault(), t0, file, failure);
        return c.failure() == null ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static Sandbox startSandbox(SandboxConfig cfg) {
        try {
            return Sandbox.start(cfg);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, e.getMessage(), e);
        }
    }

    /** The drills of one runbook: those it declares (only the one of {@code --fault} when given). */
    private List<Drill> one() {
        Runbook rb = RunbookRef.load(runbook, library.dir(), terminal.err());
        List<Drill> out = rb.drills().stream()
                .filter(d -> fault == null || d.fault().equals(fault))
                .map(d -> new Drill(rb, d.fault(), d.allowDangerous(), d.inputs()))
                .toList();
        if (!out.isEmpty()) {
            return out;
        }
        if (fault == null) {
            throw new ExitException(ExitCodes.USAGE, rb.id() + " declares no drill: give --fault NAME");
        }
        return List.of(new Drill(rb, fault, false, Map.of()));
    }

    private List<Drill> declared() {
        Library lib;
        try {
            lib = Library.load(List.of(library.dir()));
        } catch (IOException e) {
            throw new ExitException(ExitCodes.USAGE, library.dir() + ": cannot read: " + e.getMessage(), e);
        }
        if (!lib.valid()) {
            lib.problems().values().forEach(ps -> ps.forEach(p -> terminal.err().println(p)));
            terminal.err().flush();
            throw new ExitException(ExitCodes.USAGE, library.dir() + " has invalid runbooks (problems above)");
        }
        return lib.runbooks().values().stream()
                .sorted(Comparator.comparing(Runbook::id))
                .flatMap(r -> r.drills().stream().map(d -> new Drill(r, d.fault(), d.allowDangerous(), d.inputs())))
                .toList();
    }

    /**
     * What one run of a drill showed.
     *
     * @param failure why it failed; null when it passed
     * @param log the incident log; null when the run did not start
     * @param mutable the mutating steps on the walk's path (main walk and rollback), in order
     */
    private record Verdict(String failure, Path log, List<String> mutable) {}

    /**
     * Injects the fault, runs the (mutated) runbook unattended, checks the services: the fault's
     * symptom is gone, the sandbox is healthy and the run ended {@code resolved} (its verify
     * section passed).
     */
    private Verdict attempt(DrillSandbox sb, Inventory inv, Drill d, Mutation m, Terminal term) {
        PrintWriter out = term.out();
        try {
            sb.inject(d.fault());
        } catch (RuntimeException e) {
            return new Verdict("fault " + d.fault() + " could not be injected: " + e.getMessage(), null, List.of());
        }
        if (!sb.active(d.fault())) {
            return new Verdict("fault " + d.fault() + " injected but its symptom is not observable", null, List.of());
        }
        out.println("fault " + d.fault() + " injected: " + sb.description(d.fault()));
        out.flush();
        Mode mode = interactive ? Mode.INTERACTIVE : Mode.DRILL;
        ConsoleOperator console = new ConsoleOperator(term, color.style(term), interactive);
        Runbook rb = m.apply(d.runbook());
        Plan plan;
        try {
            Map<String, String> processEnv = new java.util.HashMap<>(term.env());
            // the sandbox inventory names its servers: the caller's PGSSLMODE or PGSERVICE would
            // point the drill's queries elsewhere, or ask the sandbox for TLS it does not have
            processEnv.keySet().removeAll(dev.runbook.postgres.Libpq.CONNECTION_VARIABLES);
            // nor does it offer the caller's ssh-agent keys to the sandbox's hosts
            processEnv.remove("SSH_AUTH_SOCK");
            // the sandbox trusts loopback clients: every declared secret gets a sandbox value, so a
            // drill never sends the caller's real tokens anywhere, even to the sandbox
            for (String secret : rb.secrets()) {
                processEnv.put(secret, Drills.sandboxSecret(secret));
            }
            plan = Planner.plan(new Planner.Request(
                    rb,
                    inv,
                    SandboxConfig.ENV,
                    mode,
                    inputs(d, sb),
                    processEnv,
                    "drill",
                    "sandbox",
                    d.allowDangerous(),
                    interactive ? console::askInput : null,
                    true));
        } catch (PlanException e) {
            return new Verdict("cannot plan the run: " + e.getMessage(), null, List.of());
        }
        console.masker(plan.masker());
        Team team = new Team(TeamStore.of(inv, term.env()), TeamStore.signers(null, library.dir()));
        IncidentRun.Result run;
        try (ResponderLock lock = storeLock(rb, team, console)) {
            run = IncidentRun.execute(
                    plan,
                    console,
                    drillLogDir(),
                    term,
                    null,
                    lock,
                    new ChildIncidents(library.dir(), inv, drillLogDir(), term, console, null, team),
                    team);
        }
        Outcome outcome = run.outcome();
        Path log = run.log();
        if (outcome == Outcome.INTERRUPTED) {
            throw new ExitException(ExitCodes.INTERRUPTED, "drill interrupted; log " + log);
        }
        String failure = null;
        if (sb.active(d.fault())) {
            failure = "fault " + d.fault() + " is still active after the run";
        } else if (!sb.healthy()) {
            failure = "the service is not healthy after the run (active: " + sb.activeFaults() + ")";
        } else if (outcome != Outcome.RESOLVED) {
            failure = "the run ended " + outcome.logName();
        }
        return new Verdict(failure, log, mutableSteps(rb, log));
    }

    /**
     * With a team store, a drill holds the store lock of its runbook on this machine's sandbox
     * (environment {@code sandbox@HOST}), so that the board and {@code log status} see it running;
     * without a store, no lock (the sandbox is this machine's own).
     *
     * @return the lock, or null
     * @throws ExitException 2 when another drill of this runbook on this machine holds it
     */
    private ResponderLock storeLock(Runbook rb, Team team, ConsoleOperator console) {
        if (team.store() == null) {
            return null;
        }
        String host = RunCommand.localHost(terminal.env());
        try {
            return ResponderLock.acquire(
                    team.store(), drillLogDir(), rb.id(), "sandbox@" + host, "drill", host, false, console::info);
        } catch (RunLock.HeldException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage() + ": one drill of a runbook per sandbox", e);
        } catch (IOException e) {
            console.info("⚠ store: " + e.getMessage() + ": the drill goes on without the store's lock");
            return null;
        }
    }

    /** The mutating steps the log shows on the walk's path (main walk and rollback), in order. */
    private static List<String> mutableSteps(Runbook rb, Path log) {
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        if (log == null) {
            return List.of();
        }
        try {
            for (JournalReader.Event e : JournalReader.readLog(log).events()) {
                if (EventType.STEP_STARTED.is(e.type()) && e.str("step") != null) {
                    String id = e.str("step");
                    rb.step(id)
                            .filter(s ->
                                    rb.phaseOf(id) != Phase.VERIFY && s.action().mutating())
                            .ifPresent(s -> ids.add(id));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return List.copyOf(ids);
    }

    /**
     * {@code --mutate}: one drill per mutating step on the path with that step replaced by a
     * no-op, then one with every step skipped, each on a reset sandbox, walks not printed; a
     * table of the verdicts. A survivor is reported, not failed (a fallback may cover a step);
     * an all-skipped mutant that passes fails: the drill would not notice a runbook that does
     * nothing.
     */
    private List<JUnitReport.Case> mutants(DrillSandbox sb, Inventory inv, Drill d, Verdict asWritten) {
        PrintWriter out = terminal.out();
        if (asWritten.failure() != null) {
            out.println("mutants of " + d.runbook().id() + " not run: the drill as written fails");
            return List.of();
        }
        List<Mutation> all = new ArrayList<>();
        asWritten.mutable().forEach(id -> all.add(new Mutation.NoOp(id)));
        all.add(new Mutation.SkipAll());
        Terminal quiet = new Terminal(
                new java.io.BufferedReader(new java.io.StringReader("")),
                new PrintWriter(java.io.Writer.nullWriter()),
                new PrintWriter(java.io.Writer.nullWriter()),
                false,
                terminal.env(),
                false);
        List<JUnitReport.Case> cases = new ArrayList<>();
        int width = Math.max(
                24, all.stream().mapToInt(m -> m.label().length()).max().orElse(0) + 2);
        out.printf("mutation testing %s (fault %s): %d mutants%n", d.runbook().id(), d.fault(), all.size());
        out.printf("  %-" + width + "s %s%n", "step replaced by a no-op", "verdict");
        for (Mutation m : all) {
            try {
                sb.reset();
            } catch (IOException e) {
                throw new ExitException(ExitCodes.FAILED, "sandbox: cannot reset: " + e.getMessage(), e);
            }
            Instant t0 = Instant.now();
            Verdict v = attempt(sb, inv, d, m, quiet);
            boolean passed = v.failure() == null;
            String verdict;
            String failure = null;
            if (m instanceof Mutation.SkipAll) {
                verdict = passed
                        ? "PASSES: the drill does not notice a runbook that does nothing"
                        : "fails, as it must (" + v.failure() + ")";
                failure = passed ? "with every step skipped the drill still passes" : null;
            } else {
                verdict = passed ? "survived (the drill passes without it)" : "load-bearing (" + v.failure() + ")";
            }
            out.printf("  %-" + width + "s %s%n", m.label(), verdict);
            out.flush();
            String name = d.fault() + " mutant " + m.label() + ": "
                    + (m instanceof Mutation.SkipAll
                            ? (passed ? "passes" : "fails as it must")
                            : passed ? "survived" : "load-bearing");
            double secs = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
            cases.add(new JUnitReport.Case(
                    d.runbook().id(),
                    name,
                    secs,
                    failure,
                    v.log() == null ? null : v.log().toString()));
        }
        return cases;
    }

    /** {@code --log-dir}, else the incidents' directory's {@code drills/}: drills are not incidents. */
    private Path drillLogDir() {
        if (logDir == null) {
            logDir = LogDirs.resolve(null, spec).resolve(Drills.DRILLS);
        }
        return logDir;
    }

    /** The placeholder a drill's {@code inputs} may use for the sandbox's scratch directory. */
    static final String WORK_DIR = "${sandbox.work_dir}";

    /** The drill's inputs, with {@link #WORK_DIR} replaced by the sandbox's scratch directory (absolute). */
    private static Map<String, String> inputs(Drill d, DrillSandbox sb) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String work = sb.workDir().toAbsolutePath().toString();
        d.inputs().forEach((k, v) -> out.put(k, v.replace(WORK_DIR, work)));
        return out;
    }

    private JUnitReport.Case verdict(Drill d, String name, Instant t0, Path log, String failure) {
        double secs = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
        PrintWriter out = terminal.out();
        out.printf(
                Locale.ROOT,
                "%s %s (fault %s) in %.1fs%s%s%n",
                failure == null ? "PASS" : "FAIL",
                d.runbook().id(),
                d.fault(),
                secs,
                failure == null ? "" : ": " + failure,
                log == null ? "" : " · log " + log);
        out.flush();
        return new JUnitReport.Case(d.runbook().id(), name, secs, failure, log == null ? null : log.toString());
    }
}
