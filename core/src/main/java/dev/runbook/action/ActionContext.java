package dev.runbook.action;

import dev.runbook.model.Inventory;
import dev.runbook.template.Masker;
import dev.runbook.template.Renderer;
import java.time.Duration;
import java.util.Map;

/**
 * What an action may use while it runs one attempt of a step.
 *
 * @param stepId the step's id (for messages)
 * @param renderer renders the spec's templates over the run's scope
 * @param timeout this attempt's limit (the step's {@code timeout}, else the action's default)
 * @param environment the selected environment; null when the run has none
 * @param resources connections shared across the run
 * @param output live output for the operator
 * @param masker the run's secret masker
 * @param cancellation Ctrl-C hooks
 * @param hostKeys how unknown SSH host keys are decided (interactive prompt or refusal)
 * @param keepGoing true when the step's {@code on_failure} is {@code continue}: a fan-out
 *     keeps starting hosts after one failed
 * @param processEnv the invocation's environment (libpq's {@code PGHOST}, {@code PGSSLMODE}, …;
 *     not the shell's: a child process inherits the JVM's own)
 */
public record ActionContext(
        String stepId,
        Renderer renderer,
        Duration timeout,
        Inventory.Environment environment,
        Resources resources,
        Output output,
        Masker masker,
        Cancellation cancellation,
        HostKeyPolicy hostKeys,
        boolean keepGoing,
        Map<String, String> processEnv) {

    /**
     * Decides about an SSH host key that is not in known_hosts yet (issue: "Unknown host:
     * in interactive mode … ask to trust it; in --yes mode refuse").
     */
    @FunctionalInterface
    public interface HostKeyPolicy {
        /**
         * @param host the inventory host name
         * @param address host:port
         * @param keyType for example {@code ssh-ed25519}
         * @param fingerprint {@code SHA256:…}
         * @return true to trust the key (it is then recorded in known_hosts)
         */
        boolean trust(String host, String address, String keyType, String fingerprint);

        /** Refuses every unknown key. */
        HostKeyPolicy REFUSE = (h, a, t, f) -> false;
    }
}
