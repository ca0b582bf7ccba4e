package dev.runbook.cli;

import dev.runbook.engine.Actions;
import dev.runbook.engine.DryRun;
import dev.runbook.engine.Engine;
import dev.runbook.engine.Mode;
import dev.runbook.engine.Operator;
import dev.runbook.engine.Plan;
import dev.runbook.journal.JournalWriter;
import dev.runbook.model.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * Runs a planned incident the one way {@code runbook run} and {@code runbook drill} share:
 * creates its log, then walks the plan (a dry-run, or the engine with Ctrl-C routed to it).
 */
final class IncidentRun {

    /**
     * How it ended.
     *
     * @param outcome the incident's outcome (its exit code per the contract)
     * @param log the incident log written
     */
    record Result(Outcome outcome, Path log) {}

    private IncidentRun() {}

    /**
     * @param plan the resolved run
     * @param op the console
     * @param logDir where the log is created
     * @throws ExitException 1 when the log cannot be written
     */
    static Result execute(Plan plan, Operator op, Path logDir) {
        Clock clock = Clock.systemUTC();
        Instant start = clock.instant();
        try (JournalWriter journal = JournalWriter.create(logDir, plan.runbook().id(), start, plan.masker(), clock)) {
            if (plan.mode() == Mode.DRY_RUN) {
                return new Result(new DryRun(plan, op, Actions.standard()).run(journal, clock, start), journal.path());
            }
            Engine engine = new Engine(plan, op, journal, Actions.standard(), clock, start);
            return new Result(Interrupts.during(engine, engine::run), journal.path());
        } catch (IOException e) {
            throw new ExitException(
                    ExitCodes.FAILED, "cannot write the incident log in " + logDir + ": " + e.getMessage(), e);
        }
    }
}
