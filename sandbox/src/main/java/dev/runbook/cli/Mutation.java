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
     * checks, no retry ({@link Step#withAction}).
     *
     * @param step the step's id (main walk or rollback section)
     */
    record NoOp(String step) implements Mutation {
        @Override
        public Runbook apply(Runbook rb) {
            return fast(rb, map(rb.steps(), this::mutate), map(rb.rollback(), this::mutate));
        }

        private Step mutate(Step s) {
            return s.id().equals(step)
                    ? s.withAction(
                            new ActionSpec.Wait(Duration.ofMillis(1), "mutant: step '" + s.id() + "' does nothing"))
                    : s;
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
            return fast(rb, map(rb.steps(), s -> s.withWhen("false")), rb.rollback());
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

    /** The runbook with these sections, every step's retry capped ({@link #MAX_DELAY}, {@link #MAX_ATTEMPTS}). */
    private static Runbook fast(Runbook rb, List<Step> steps, List<Step> rollback) {
        java.util.function.UnaryOperator<Step> cap = s -> {
            Retry r = s.retry();
            if (r.delay().compareTo(MAX_DELAY) <= 0 && r.attempts() <= MAX_ATTEMPTS) {
                return s;
            }
            Duration delay = r.delay().compareTo(MAX_DELAY) <= 0 ? r.delay() : MAX_DELAY;
            return s.withRetry(new Retry(Math.min(r.attempts(), MAX_ATTEMPTS), delay, r.until()));
        };
        return rb.withSections(map(steps, cap), map(rollback, cap), map(rb.verify(), cap));
    }
}
