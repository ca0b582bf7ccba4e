package dev.runbook.cli;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.Retry;
import dev.runbook.model.Runbook;
import dev.runbook.model.Step;
import java.time.Duration;
import java.util.List;

/**
 * One mutant of {@code runbook drill --mutate}: the runbook as written, with one step replaced by
 * a no-op that succeeds, or with every step of the walk skipped. A drill that still passes
 * without a step shows that the step is not load-bearing for that fault. In a mutant every
 * {@code retry.delay} is capped at {@link #MAX_DELAY} and {@code retry.attempts} at {@link
 * #MAX_ATTEMPTS} (4 s of retries at most): the sandbox's services change state at once, so a check
 * that waits for a repair that never came only makes the mutant slow.
 */
sealed interface Mutation {

    /** The runbook as written. */
    record None() implements Mutation {
        @Override
        public Runbook apply(Runbook rb) {
            return rb;
        }

        @Override
        public String label() {
            return "as written";
        }
    }

    /**
     * One step replaced by a {@code wait: 1ms} that succeeds: same id, {@code when} and flow, no
     * checks, no retry.
     *
     * @param step the step's id (main walk or rollback section)
     */
    record NoOp(String step) implements Mutation {
        @Override
        public Runbook apply(Runbook rb) {
            return with(rb, map(rb.steps(), this::mutate), map(rb.rollback(), this::mutate));
        }

        private Step mutate(Step s) {
            if (!s.id().equals(step)) {
                return s;
            }
            return new Step(
                    s.id(),
                    s.title(),
                    s.description(),
                    new ActionSpec.Wait(Duration.ofMillis(1), "mutant: step '" + s.id() + "' does nothing"),
                    s.when(),
                    null,
                    Retry.NONE,
                    List.of(),
                    s.onFailure(),
                    s.onSuccess(),
                    false,
                    s.position(),
                    s.positions());
        }

        @Override
        public String label() {
            return step;
        }
    }

    /** Every step of the main walk skipped ({@code when: false}); the verify section still runs. */
    record SkipAll() implements Mutation {
        @Override
        public Runbook apply(Runbook rb) {
            return with(
                    rb,
                    map(
                            rb.steps(),
                            s -> new Step(
                                    s.id(),
                                    s.title(),
                                    s.description(),
                                    s.action(),
                                    "false",
                                    s.timeout(),
                                    s.retry(),
                                    s.check(),
                                    s.onFailure(),
                                    s.onSuccess(),
                                    s.dangerous(),
                                    s.position(),
                                    s.positions())),
                    rb.rollback());
        }

        @Override
        public String label() {
            return "(every step skipped)";
        }
    }

    /** The longest retry delay of a mutant. */
    Duration MAX_DELAY = Duration.ofMillis(500);

    /** The most attempts of a step in a mutant. */
    int MAX_ATTEMPTS = 8;

    /** The mutated runbook. */
    Runbook apply(Runbook rb);

    /** What the table's first column says. */
    String label();

    private static List<Step> map(List<Step> steps, java.util.function.UnaryOperator<Step> f) {
        return steps.stream().map(f).toList();
    }

    private static Step fast(Step s) {
        Retry r = s.retry();
        if (r.delay().compareTo(MAX_DELAY) <= 0 && r.attempts() <= MAX_ATTEMPTS) {
            return s;
        }
        return new Step(
                s.id(),
                s.title(),
                s.description(),
                s.action(),
                s.when(),
                s.timeout(),
                new Retry(
                        Math.min(r.attempts(), MAX_ATTEMPTS),
                        r.delay().compareTo(MAX_DELAY) <= 0 ? r.delay() : MAX_DELAY,
                        r.until()),
                s.check(),
                s.onFailure(),
                s.onSuccess(),
                s.dangerous(),
                s.position(),
                s.positions());
    }

    private static Runbook with(Runbook rb, List<Step> steps, List<Step> rollback) {
        return new Runbook(
                rb.id(),
                rb.title(),
                rb.severity(),
                rb.service(),
                rb.origin(),
                rb.tags(),
                rb.sla(),
                rb.summary(),
                rb.symptoms(),
                rb.inputs(),
                rb.vars(),
                rb.secrets(),
                map(steps, Mutation::fast),
                map(rollback, Mutation::fast),
                map(rb.verify(), Mutation::fast),
                rb.source(),
                rb.drills());
    }
}
