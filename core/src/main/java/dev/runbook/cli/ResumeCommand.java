package dev.runbook.cli;

import dev.runbook.console.ConsoleOperator;
import dev.runbook.console.Terminal;
import dev.runbook.engine.InFlightChoice;
import dev.runbook.engine.Mode;
import dev.runbook.engine.Plan;
import dev.runbook.engine.PlanException;
import dev.runbook.engine.Planner;
import dev.runbook.engine.Resumption;
import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.lock.ResponderLock;
import dev.runbook.model.Inventory;
import dev.runbook.model.Runbook;
import dev.runbook.store.Store;
import dev.runbook.template.Masker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook resume INCIDENT}: continues an unfinished or interrupted incident in its own log,
 * the chain unbroken (docs/format.md, "Resume and hand-off"); by another operator, it is the
 * hand-off. Exit codes as {@code runbook run}.
 */
@Command(
        name = "resume",
        header = "Continue an unfinished or interrupted incident in its own log (hand-off).",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Continue an incident whose run was killed, crashed or interrupted, in the same log file:",
            "the log is verified (a line torn by the crash is cut and recorded), incident.resumed is",
            "appended, every finished step's result is restored from the log, and the walk goes on after",
            "the last thing the log shows, following the same branches. Secrets are read again from the",
            "environment. Resumed by another --operator, it is the hand-off: log show lists who held it when.",
            "",
            "The step that was running when the run stopped has an unknown outcome: interactive, you are",
            "asked [r]e-run, mark [d]one, [s]kip or [a]bort; unattended (--yes), give --in-flight."
        },
        footer = {
            "",
            "Examples:",
            "  runbook resume 20261121T102345Z-RB-P1-001                 # interactive, same operator",
            "  runbook resume 20261121T1023 --operator bob               # hand-off (an id prefix is enough)",
            "  runbook resume 20261121T1023 --yes --in-flight rerun      # unattended",
            "  runbook resume 20261121T1023 --from restart-backend       # re-run from a step",
            "",
            "A result the log kept masked or cut (over 4 KiB) that a later step reads cannot be restored:",
            "resume names the step to re-run; give it with --from.",
            "",
            "Exit codes: as 'runbook run'; 2 when there is nothing to resume, the log's chain is broken,",
            "another run holds the lock, or --in-flight is missing in an unattended resume."
        })
public final class ResumeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INCIDENT", description = "Incident id, unique id prefix, or path to a .jsonl log.")
    String ref;

    @Mixin
    LogDirOption logDir;

    @Option(
            names = {"--yes", "-y"},
            description = "Unattended: no prompts (as 'run --yes'); needs --in-flight when a step was running.")
    boolean yes;

    @Option(
            names = "--in-flight",
            paramLabel = "CHOICE",
            description = "What becomes of the step that was running when the run stopped: rerun, done, skip or"
                    + " abort (logged as the operator's decision).")
    String inFlight;

    @Option(
            names = "--from",
            paramLabel = "STEP",
            description = "Go on from this step of the main walk instead of where the log stopped (it and every"
                    + " step after it run again).")
    String from;

    @Option(
            names = "--var",
            paramLabel = "NAME=VALUE",
            description = "Value of an input the log kept masked (a secret input), or a new value (repeatable).")
    Map<String, String> vars = new LinkedHashMap<>();

    @Option(names = "--allow-dangerous", description = "With --yes: run steps marked dangerous (refused otherwise).")
    boolean allowDangerous;

    @Mixin
    LibraryDirOption library;

    @Mixin
    ResponderOptions responder;

    @Mixin
    ColorOption color;

    private final Terminal terminal;

    /** @param terminal streams, interactivity and environment */
    public ResumeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Path dir = logDir.local();
        Store store = logDir.declared(terminal);
        Path file = findOrFetch(dir, store);
        JournalReader.Event opened = read(file).events().get(0);
        InFlightChoice choice = inFlight == null
                ? null
                : InFlightChoice.of(inFlight)
                        .orElseThrow(() -> new ExitException(
                                ExitCodes.USAGE,
                                "--in-flight: '" + inFlight + "' is not one of rerun, done, skip, abort"));
        boolean drill = "drill".equals(opened.str("mode"));
        Mode mode = yes ? (drill ? Mode.DRILL : Mode.AUTO) : terminal.interactive() ? Mode.INTERACTIVE : null;
        if (mode == null) {
            throw new ExitException(
                    ExitCodes.USAGE,
                    "standard input is not a terminal: give --yes (and --in-flight) to resume unattended");
        }
        List<String> notes = new ArrayList<>();
        Runbook rb = runbook(opened, notes);
        String env = opened.str("env");
        String host = RunCommand.localHost(terminal.env());
        // the lock first: a live run still writing the log holds it; the log is read again under it
        try (ResponderLock lock = drill ? null : responder.lock(rb.id(), env, dir, host, store, this::say)) {
            JournalReader.Log log = read(file);
            return resume(file, log, rb, mode, choice, notes, lock, store);
        }
    }

    private int resume(
            Path file,
            JournalReader.Log log,
            Runbook rb,
            Mode mode,
            InFlightChoice choice,
            List<String> notes,
            ResponderLock lock,
            Store store) {
        Team team = new Team(store, responder.signers(library.dir()));
        String env = log.events().get(0).str("env");
        Resumption r = resumption(rb, log);
        Resumption.Point at = r.point();
        if (from != null) {
            int i = rb.indexOf(from);
            if (i < 0) {
                throw new ExitException(
                        ExitCodes.USAGE, rb.source().path() + ": --from '" + from + "' is not a step of the main walk");
            }
            at = new Resumption.At(dev.runbook.model.Phase.STEPS, i);
        }
        String unreadable = r.unreadable(rb, at);
        if (unreadable != null) {
            throw new ExitException(
                    ExitCodes.USAGE, file + ": " + unreadable + " (resume with --from " + stepOf(unreadable) + ")");
        }
        if (r.inFlight() != null && from == null && mode != Mode.INTERACTIVE) {
            if (choice == null) {
                Resumption.InFlight f = r.inFlight();
                throw new ExitException(
                        ExitCodes.USAGE,
                        file + ": step '" + f.step().id() + "' was running when the run stopped (started " + f.since()
                                + (f.target() == null ? "" : ", doing: " + f.target())
                                + "); its outcome is unknown: give --in-flight rerun, done, skip or abort");
            }
            String refused = choice == InFlightChoice.DONE ? r.cannotMarkDone(rb) : null;
            if (refused != null) {
                throw new ExitException(ExitCodes.USAGE, file + ": --in-flight done: " + refused);
            }
        }
        if (log.tornTail() != null) {
            notes.add("a last line torn by the crash was cut (" + log.tornTail().length()
                    + " characters): the run was killed while writing it");
        }
        Inventory inv = env == null && logDir.inventory() == null
                ? null
                : InventoryFiles.load(logDir.inventory(), rb, library.dir(), terminal);
        ConsoleOperator console = new ConsoleOperator(terminal, color.style(terminal), mode == Mode.INTERACTIVE);
        Plan plan = plan(rb, inv, env, mode, r, console);
        unsign(file, notes);
        return IncidentRun.resume(
                        plan,
                        console,
                        file,
                        log,
                        r,
                        mode == Mode.INTERACTIVE ? null : choice,
                        from,
                        notes,
                        terminal,
                        responder.signingKey(),
                        lock,
                        new ChildIncidents(
                                library.dir(),
                                inv,
                                file.toAbsolutePath().getParent(),
                                terminal,
                                console,
                                responder.signingKey(),
                                team),
                        team)
                .exitCode();
    }

    private void say(String line) {
        terminal.err().println("runbook: " + line);
        terminal.err().flush();
    }

    /**
     * The incident's log on this disk; when it is not here and a team store is declared, the
     * store's copy written into the log directory (docs/team.md, "Resume from another machine").
     */
    private Path findOrFetch(Path dir, Store store) {
        try {
            return LogSupport.find(ref, dir);
        } catch (ExitException e) {
            if (store == null || e.code() != ExitCodes.USAGE || ref.endsWith(".jsonl")) {
                throw e;
            }
        }
        try (java.sql.Connection c = store.connect()) {
            List<Store.Head> heads = Store.heads(c, ref);
            if (heads.size() != 1) {
                throw new ExitException(
                        ExitCodes.USAGE,
                        heads.isEmpty()
                                ? "no incident matches '" + ref + "' in " + dir + " or in the team store "
                                        + store.describe()
                                : "'" + ref + "' matches " + heads.size() + " incidents in the team store: "
                                        + String.join(
                                                ", ",
                                                heads.stream()
                                                        .map(Store.Head::id)
                                                        .toList()));
            }
            dev.runbook.journal.JournalWriter.createPrivateDirectory(dir);
            Path file = dev.runbook.store.StoreMirror.sync(c, dir, heads.get(0));
            say("the log of " + heads.get(0).id() + " is not on this machine: written from the team store "
                    + store.describe() + " to " + file + " (" + heads.get(0).headSeq() + " events)");
            return file;
        } catch (java.sql.SQLException | IOException e) {
            throw new ExitException(
                    ExitCodes.FAILED, "the team store " + store.describe() + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** The step named last in a "re-run step 'X'" problem. */
    private static String stepOf(String problem) {
        int i = problem.lastIndexOf("re-run step '");
        return i < 0 ? "STEP" : problem.substring(i + "re-run step '".length(), problem.length() - 1);
    }

    /** Reads the log and verifies its chain. */
    private static JournalReader.Log read(Path file) {
        JournalReader.Log log;
        try {
            log = JournalReader.readLog(file);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, file + ": cannot read: " + e.getMessage(), e);
        }
        JournalVerifier.Result v = JournalVerifier.verify(log);
        if (!v.ok()) {
            throw new ExitException(
                    ExitCodes.USAGE,
                    file + ":" + v.badLine() + ": " + v.reason()
                            + " (the log failed verification: resume continues only an intact chain)");
        }
        return log;
    }

    /**
     * The incident's runbook: the file it ran when it is still there and holds it, else the id in
     * the library; a changed runbook is noted.
     */
    private Runbook runbook(JournalReader.Event opened, List<String> notes) {
        Map<?, ?> meta = opened.fields().get("runbook") instanceof Map<?, ?> m ? m : Map.of();
        String id = String.valueOf(meta.get("id"));
        Object path = meta.get("path");
        Runbook rb = path != null && Files.isRegularFile(Path.of(String.valueOf(path)))
                ? RunbookRef.load(String.valueOf(path), library.dir(), terminal.err())
                : RunbookRef.load(id, library.dir(), terminal.err());
        if (!rb.id().equals(id)) {
            rb = RunbookRef.load(id, library.dir(), terminal.err());
        }
        Object sha = meta.get("sha256");
        if (sha != null && !sha.equals(rb.source().sha256())) {
            notes.add("the runbook changed since the incident opened (sha256 " + sha + " → "
                    + rb.source().sha256() + "): the walk goes on with "
                    + rb.source().path() + " as it is now");
        }
        return rb;
    }

    private static Resumption resumption(Runbook rb, JournalReader.Log log) {
        try {
            return Resumption.of(rb, log.events());
        } catch (PlanException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /**
     * The plan: the log's inputs (a masked one is asked again, or given with --var), the
     * environment it ran on, secrets read again from the environment.
     */
    private Plan plan(Runbook rb, Inventory inv, String env, Mode mode, Resumption r, ConsoleOperator console) {
        Map<String, String> given = new LinkedHashMap<>();
        r.inputs().forEach((k, v) -> {
            if (v != null && !v.contains(Masker.MASK) && rb.inputs().containsKey(k)) {
                given.put(k, v);
            }
        });
        given.putAll(vars);
        Map<String, String> processEnv = terminal.env();
        if (mode == Mode.DRILL) {
            processEnv = new java.util.HashMap<>(processEnv);
            for (String secret : rb.secrets()) {
                processEnv.put(secret, Drills.sandboxSecret(secret));
            }
        }
        Plan plan;
        try {
            plan = Planner.plan(new Planner.Request(
                    rb,
                    inv,
                    env,
                    mode,
                    given,
                    processEnv,
                    responder.operator(),
                    RunCommand.localHost(terminal.env()),
                    allowDangerous,
                    mode == Mode.INTERACTIVE ? console::askInput : null,
                    true));
        } catch (PlanException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage(), e);
        }
        console.masker(plan.masker());
        // input steps' values, as logged, for later templates
        Map<String, Object> inputs = plan.scope().get("inputs");
        r.inputs().forEach((k, v) -> {
            if (!inputs.containsKey(k) && v != null && !v.contains(Masker.MASK)) {
                inputs.put(k, v);
            }
        });
        return plan;
    }

    /** A signature of the interrupted run signed the log up to its stop: it no longer matches. */
    private static void unsign(Path file, List<String> notes) {
        Path sig = file.resolveSibling(file.getFileName() + ".sig");
        try {
            if (Files.deleteIfExists(sig)) {
                notes.add("the signature of the stopped run was removed: it signed the log up to that stop;"
                        + " the log is signed again when it closes");
            }
        } catch (IOException e) {
            throw new ExitException(
                    ExitCodes.FAILED, sig + ": cannot remove the stale signature: " + e.getMessage(), e);
        }
    }
}
