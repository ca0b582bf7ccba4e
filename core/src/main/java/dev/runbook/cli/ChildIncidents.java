package dev.runbook.cli;

import dev.runbook.console.ConsoleOperator;
import dev.runbook.console.Terminal;
import dev.runbook.engine.ChildRuns;
import dev.runbook.engine.Mode;
import dev.runbook.engine.Plan;
import dev.runbook.engine.PlanException;
import dev.runbook.engine.Planner;
import dev.runbook.lock.ResponderLock;
import dev.runbook.lock.RunLock;
import dev.runbook.model.Inventory;
import dev.runbook.model.Runbook;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The child incidents of {@code runbook:} steps (docs/format.md, "One runbook calling another"):
 * the called runbook from the library, planned with the parent's operator, host, environment,
 * mode and {@code --allow-dangerous}, its own log beside the parent's (with {@code parent} in its
 * {@code incident.opened}), the (runbook, environment) lock of a run (not for drills), the same
 * console.
 */
final class ChildIncidents implements ChildRuns {

    private final Path library;
    private final Inventory inventory;
    private final Path logDir;
    private final Terminal terminal;
    private final ConsoleOperator console;
    private final Path signingKey;
    private final Team team;

    /**
     * @param library the library the ids are looked up in
     * @param inventory the parent's inventory, or null
     * @param logDir where the child logs are written
     * @param terminal environment (secrets) and streams
     * @param console the parent's console
     * @param signingKey {@code --signing-key}, or null
     * @param team the team store the children's logs are copied to, and the allowed_signers
     */
    ChildIncidents(
            Path library,
            Inventory inventory,
            Path logDir,
            Terminal terminal,
            ConsoleOperator console,
            Path signingKey,
            Team team) {
        this.library = library;
        this.inventory = inventory;
        this.logDir = logDir;
        this.terminal = terminal;
        this.console = console;
        this.signingKey = signingKey;
        this.team = team;
    }

    @Override
    public Result run(Plan parent, String runbookId, Map<String, String> inputs, Plan.Parent caller) {
        Runbook rb;
        try {
            rb = RunbookRef.load(runbookId, library, terminal.err());
        } catch (ExitException e) {
            return new Result(null, null, false, e.getMessage());
        }
        Map<String, String> env = terminal.env();
        if (parent.mode() == Mode.DRILL) {
            env = new HashMap<>(env);
            for (String secret : rb.secrets()) {
                env.put(secret, Drills.sandboxSecret(secret));
            }
        }
        Plan plan;
        try {
            plan = Planner.plan(new Planner.Request(
                            rb,
                            inventory,
                            parent.envName(),
                            parent.mode(),
                            inputs,
                            env,
                            parent.operator(),
                            parent.host(),
                            parent.allowDangerous(),
                            parent.mode() == Mode.INTERACTIVE ? console::askInput : null,
                            parent.envName() != null))
                    .withParent(caller);
        } catch (PlanException e) {
            return new Result(null, null, false, "cannot start " + runbookId + ": " + e.getMessage());
        }
        plan.masker().addAll(parent.masker());
        console.info("↳ " + runbookId + " runs as a child incident of " + caller.incident());
        ResponderLock lock = null;
        try {
            if (parent.mode() != Mode.DRILL) {
                lock = ResponderLock.acquire(
                        team.store(),
                        logDir,
                        rb.id(),
                        parent.envName(),
                        parent.operator(),
                        parent.host(),
                        false,
                        console::info);
            }
            IncidentRun.Result r = IncidentRun.execute(plan, console, logDir, terminal, signingKey, lock, this, team);
            String id = r.log().getFileName().toString().replaceFirst("\\.jsonl$", "");
            return new Result(id, r.outcome(), r.verified(), null);
        } catch (RunLock.HeldException e) {
            return new Result(null, null, false, e.getMessage());
        } catch (IOException | ExitException e) {
            return new Result(null, null, false, runbookId + ": " + e.getMessage());
        } finally {
            if (lock != null) {
                lock.close();
            }
            console.masker(parent.masker());
            console.info("↲ back in " + caller.incident());
        }
    }
}
