package dev.runbook.cli;

import dev.runbook.approval.ApprovalSource;
import dev.runbook.console.Terminal;
import dev.runbook.engine.Actions;
import dev.runbook.engine.ChildRuns;
import dev.runbook.engine.Crash;
import dev.runbook.engine.DryRun;
import dev.runbook.engine.Engine;
import dev.runbook.engine.InFlightChoice;
import dev.runbook.engine.Mode;
import dev.runbook.engine.Opened;
import dev.runbook.engine.Operator;
import dev.runbook.engine.Plan;
import dev.runbook.engine.Resumption;
import dev.runbook.engine.StopSignal;
import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalWriter;
import dev.runbook.lock.ResponderLock;
import dev.runbook.model.Outcome;
import dev.runbook.signing.SigningKey;
import dev.runbook.signing.SshSig;
import dev.runbook.store.StoreReplica;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a planned incident the one way {@code runbook run} and {@code runbook drill} share:
 * creates its log, then walks the plan (a dry-run, or the engine with Ctrl-C routed to it).
 */
final class IncidentRun {

    /**
     * How it ended.
     *
     * @param outcome the incident's outcome
     * @param log the incident log written
     * @param exitCode the outcome's exit code, or the stop signal's (130, 143, 129)
     * @param verified its verify section ran and passed
     */
    record Result(Outcome outcome, Path log, int exitCode, boolean verified) {}

    private IncidentRun() {}

    /**
     * @param plan the resolved run
     * @param op the console
     * @param logDir where the log is created
     * @param terminal its environment and stderr receive the journal's fallback
     * @param signingKey {@code --signing-key}, or null (then RUNBOOK_SIGNING_KEY, then ssh-agent)
     * @param lock the (runbook, environment) lock the run holds, or null (dry-runs, drills): its
     *     file gets the incident id, and a stolen lock is recorded as the log's first note
     * @param children runs the child incidents of {@code runbook:} steps; null: such steps fail
     * @param team the team store every event is copied to after the local log and approvals arrive
     *     through, and the allowed_signers approvers are checked against
     * @throws ExitException 1 when the log cannot be written; 3 when a bug stopped the walk (the
     *     log is closed {@code failed}, the stack trace is in {@code <log-dir>/<id>.crash.txt})
     */
    static Result execute(
            Plan plan,
            Operator op,
            Path logDir,
            Terminal terminal,
            Path signingKey,
            ResponderLock lock,
            ChildRuns children,
            Team team) {
        Optional<SigningKey> key = key(signingKey, terminal);
        Clock clock = Clock.systemUTC();
        Instant start = clock.instant();
        try (JournalWriter journal = JournalWriter.create(
                logDir,
                plan.runbook().id(),
                start,
                plan.masker(),
                clock,
                Opened.event(plan, start),
                JournalWriter.Fallback.standard(terminal.env(), terminal.err()))) {
            if (lock != null) {
                lock.incident(journal.incidentId());
                stolen(lock, plan, op).ifPresent(text -> journal.append(EventType.NOTE, Map.of("text", text)));
            }
            StoreReplica replica = TeamStore.replicate(team.store(), journal, op);
            if (plan.mode() == Mode.DRY_RUN) {
                Outcome o = new DryRun(plan, op, Actions.standard()).run(journal, clock, start);
                sign(journal.path(), key, op);
                TeamStore.finish(replica, journal.path(), journal.incidentId(), op);
                return new Result(o, journal.path(), o.exitCode(), false);
            }
            return walk(plan, op, journal, clock, start, key, children, replica, team, terminal, Engine::run);
        } catch (IOException e) {
            throw new ExitException(
                    ExitCodes.FAILED, "cannot write the incident log in " + logDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Continues an unfinished or interrupted incident in its own log ({@code runbook resume}).
     *
     * @param plan the resolved run (the incident's runbook, environment and inputs)
     * @param op the console
     * @param file the incident's log
     * @param log the log as read, its chain verified
     * @param r where it goes on
     * @param inFlight what becomes of the in-flight step (null: ask)
     * @param from {@code --from STEP}, or null
     * @param notes lines recorded after {@code incident.resumed}
     * @param terminal environment and stderr
     * @param signingKey {@code --signing-key}, or null
     * @param lock the (runbook, environment) lock the run holds, or null (a drill)
     * @param children runs the child incidents of {@code runbook:} steps; null: such steps fail
     * @param team the team store every event is copied to after the local log and approvals arrive
     *     through, and the allowed_signers approvers are checked against
     * @throws ExitException 1 when the log cannot be reopened or written; 3 on a bug
     */
    static Result resume(
            Plan plan,
            Operator op,
            Path file,
            JournalReader.Log log,
            Resumption r,
            InFlightChoice inFlight,
            String from,
            List<String> notes,
            Terminal terminal,
            Path signingKey,
            ResponderLock lock,
            ChildRuns children,
            Team team) {
        Optional<SigningKey> key = key(signingKey, terminal);
        Clock clock = Clock.systemUTC();
        List<String> all = new ArrayList<>(notes);
        try (JournalWriter journal = JournalWriter.reopen(
                file, log, plan.masker(), clock, JournalWriter.Fallback.standard(terminal.env(), terminal.err()))) {
            if (lock != null) {
                lock.incident(journal.incidentId());
                stolen(lock, plan, op).ifPresent(all::add);
            }
            StoreReplica replica = TeamStore.replicate(team.store(), journal, op);
            return walk(
                    plan,
                    op,
                    journal,
                    clock,
                    r.start(),
                    key,
                    children,
                    replica,
                    team,
                    terminal,
                    e -> e.resume(r, inFlight, from, all));
        } catch (IOException e) {
            throw new ExitException(
                    ExitCodes.FAILED, "cannot reopen the incident log " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<SigningKey> key(Path signingKey, Terminal terminal) {
        try {
            return SigningKey.find(signingKey, terminal.env());
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /** The note of a stolen lock ({@code --steal-lock}), said on the console too. */
    private static Optional<String> stolen(ResponderLock lock, Plan plan, Operator op) {
        return lock.stolenFrom().map(h -> {
            op.info("⚠ lock stolen from " + h.describe());
            return "lock of " + h.runbook() + " on " + h.env() + " stolen by " + plan.operator()
                    + " with --steal-lock from " + h.describe();
        });
    }

    /** The engine's walk with stop signals routed to it, the log signed, failures mapped to exits. */
    private static Result walk(
            Plan plan,
            Operator op,
            JournalWriter journal,
            Clock clock,
            Instant start,
            Optional<SigningKey> key,
            ChildRuns children,
            StoreReplica replica,
            Team team,
            Terminal terminal,
            java.util.function.Function<Engine, Outcome> body) {
        Engine engine = new Engine(plan, op, journal, Actions.standard(), clock, start);
        engine.childRuns(children);
        ApprovalSource approvals = TeamStore.approvals(team, plan, op, terminal.env());
        engine.approvals(
                approvals, team.signers(), key.map(SigningKey::publicKeyBlob).orElse(null));
        try {
            return walk(plan, op, journal, clock, key, replica, engine, body);
        } finally {
            if (approvals instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // a store connection already gone
                }
            }
        }
    }

    private static Result walk(
            Plan plan,
            Operator op,
            JournalWriter journal,
            Clock clock,
            Optional<SigningKey> key,
            StoreReplica replica,
            Engine engine,
            java.util.function.Function<Engine, Outcome> body) {
        engine.updateTexts((template, closing, verified) -> {
            try {
                return dev.runbook.report.StatusMessage.live(
                        journal.path(), template, closing, verified, clock.instant());
            } catch (IOException | RuntimeException e) {
                return "INCIDENT " + plan.runbook().severity() + " - "
                        + plan.runbook().title() + " ("
                        + journal.incidentId() + "): " + template + " (the log could not be read: " + e.getMessage()
                        + ")";
            }
        });
        Outcome outcome = Interrupts.during(
                engine,
                op,
                () -> {
                    sign(journal.path(), key, op);
                    TeamStore.finish(replica, journal.path(), journal.incidentId(), op);
                },
                () -> body.apply(engine));
        if (journal.failure() != null) {
            TeamStore.finish(replica, journal.path(), journal.incidentId(), op);
            throw new ExitException(
                    ExitCodes.FAILED,
                    journal.failure() + " — the run stopped before the next action; the events since then are on"
                            + " stderr and in " + journal.fallbackFile());
        }
        sign(journal.path(), key, op);
        TeamStore.finish(replica, journal.path(), journal.incidentId(), op);
        if (engine.crash().isPresent()) {
            throw crashed(engine.crash().get(), journal);
        }
        int code = outcome == Outcome.INTERRUPTED
                ? engine.stoppedBy().map(StopSignal::exitCode).orElse(outcome.exitCode())
                : outcome.exitCode();
        return new Result(outcome, journal.path(), code, engine.verification().verified());
    }

    /**
     * Signs the closed log's exact bytes (SSHSIG, namespace {@code runbook-incident}) and writes the
     * armored signature beside it as {@code <id>.jsonl.sig}; says so, or that the log is unsigned.
     */
    static void sign(Path log, Optional<SigningKey> key, Operator op) {
        if (key.isEmpty()) {
            op.info("log closed unsigned: no signing key (--signing-key, RUNBOOK_SIGNING_KEY or a key in ssh-agent)");
            return;
        }
        try {
            String sig = SshSig.sign(Files.readAllBytes(log), key.get(), SshSig.NAMESPACE);
            Path file = log.resolveSibling(log.getFileName() + ".sig");
            Files.writeString(file, sig, StandardCharsets.US_ASCII);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(
                        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
            op.info("log signed with " + key.get().source() + ": " + file);
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            op.info("log closed unsigned: signing with " + key.get().source() + " failed: " + e.getMessage());
        }
    }

    /** Writes the crash's stack trace beside the log and makes the one-line exit 3. */
    private static ExitException crashed(Crash crash, JournalWriter journal) {
        Path file = journal.path().resolveSibling(journal.incidentId() + ".crash.txt");
        String where;
        try {
            StringWriter trace = new StringWriter();
            crash.printStackTrace(new PrintWriter(trace));
            Files.writeString(file, trace.toString(), StandardCharsets.UTF_8);
            where = "stack trace in " + file;
        } catch (IOException e) {
            where = "the stack trace could not be written to " + file + ": " + e.getMessage();
        }
        return new ExitException(
                ExitCodes.INTERNAL,
                crash.getMessage() + " — the run stopped, log " + journal.path() + " closed failed; " + where,
                crash);
    }
}
