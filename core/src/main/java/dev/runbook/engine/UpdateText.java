package dev.runbook.engine;

import dev.runbook.model.Outcome;

/**
 * The text of an update the engine posts to the runbook's {@code updates} channel: the seeds'
 * templates (gestion-incidents.md) filled from the log as it is now; supplied by the caller, who
 * knows the reports.
 */
@FunctionalInterface
public interface UpdateText {

    /**
     * @param template {@code initial}, {@code update} or {@code resolution}
     * @param closing the outcome the incident is about to close with (for {@code resolution}); null
     *     while it runs
     * @param verified with {@code closing}: the verify section passed
     * @return the message
     */
    String text(String template, Outcome closing, boolean verified);
}
