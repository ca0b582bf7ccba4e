package dev.runbook.engine;

import dev.runbook.model.Outcome;
import java.util.Map;

/**
 * Runs a child incident for a {@code runbook:} step (docs/format.md, "One runbook calling
 * another"): the called runbook from the library, its own log, the parent's operator, environment
 * and mode, the lock rules of a run. Supplied by the caller, who knows the library and the logs.
 */
@FunctionalInterface
public interface ChildRuns {

    /**
     * How a child incident ended.
     *
     * @param incident its id; null when it could not start
     * @param outcome its outcome; null when it could not start
     * @param verified its verify section passed
     * @param error why it could not start (unknown runbook, refused plan, lock held); null otherwise
     */
    record Result(String incident, Outcome outcome, boolean verified, String error) {}

    /**
     * Runs the child to its end.
     *
     * @param parent the calling plan (operator, environment, mode)
     * @param runbookId the called runbook
     * @param inputs its inputs, rendered
     * @param caller the parent incident and step
     * @return how it ended; {@code outcome} interrupted when a stop signal stopped it
     */
    Result run(Plan parent, String runbookId, Map<String, String> inputs, Plan.Parent caller);
}
