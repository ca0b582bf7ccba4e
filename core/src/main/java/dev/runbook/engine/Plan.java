package dev.runbook.engine;

import dev.runbook.model.Inventory;
import dev.runbook.model.Runbook;
import dev.runbook.template.Masker;
import dev.runbook.template.Scope;
import java.util.Map;

/**
 * Everything a run needs, resolved before step 1 (design notes: "Plan (immutable)"; the
 * scope inside fills with step results as the run goes).
 *
 * @param runbook the validated runbook
 * @param environment the selected environment; null when the runbook needs none
 * @param mode interactive, auto or dry-run
 * @param operator who runs it ({@code --operator}, else the OS user)
 * @param host this machine's name
 * @param allowDangerous {@code --allow-dangerous}
 * @param inputs the input values known at start (logged, secrets masked)
 * @param scope the names templates read; env, inputs, vars and secrets filled
 * @param masker every secret value of the run
 * @param startAt the main step the walk starts at ({@code --start-at}); null for the first one
 * @param parent the incident and step that called this runbook ({@code runbook:} action); null for
 *     an incident of its own
 * @param processEnv the invocation's environment the plan was made with (its secrets, and what
 *     actions read of it, such as libpq's {@code PG*} variables)
 */
public record Plan(
        Runbook runbook,
        Inventory.Environment environment,
        Mode mode,
        String operator,
        String host,
        boolean allowDangerous,
        Map<String, String> inputs,
        Scope scope,
        Masker masker,
        String startAt,
        Parent parent,
        Map<String, String> processEnv) {

    /**
     * The caller of a child incident.
     *
     * @param incident the parent incident's id
     * @param step the parent's {@code runbook:} step
     * @param depth how many incidents up the chain (1 for a child of a top incident)
     */
    public record Parent(String incident, String step, int depth) {}

    /** The same plan, as the child incident of a {@code runbook:} step. */
    public Plan withParent(Parent p) {
        return with(startAt, p);
    }

    /**
     * The same plan, starting at a step ({@code runbook run --start-at}).
     *
     * @throws PlanException when the start is refused (see {@link StartAt#check})
     */
    public Plan startingAt(String stepId) throws PlanException {
        StartAt.check(runbook, stepId);
        return with(stepId, parent);
    }

    private Plan with(String start, Parent caller) {
        return new Plan(
                runbook,
                environment,
                mode,
                operator,
                host,
                allowDangerous,
                inputs,
                scope,
                masker,
                start,
                caller,
                processEnv);
    }

    /** The environment's name, or null. */
    public String envName() {
        return environment == null ? null : environment.name();
    }

    /**
     * Renders a runbook text for the screen with what the scope holds now (an escalation's
     * message in the run's header, {@code ${incident.id}} included once the incident is opened);
     * a text that cannot be rendered yet is shown as written. Secrets come out masked.
     */
    public java.util.function.UnaryOperator<String> display() {
        return StepText.display(new dev.runbook.template.Renderer(scope.toMap(), masker, mode == Mode.DRY_RUN));
    }
}
