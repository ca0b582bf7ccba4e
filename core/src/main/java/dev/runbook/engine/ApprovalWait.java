package dev.runbook.engine;

import dev.runbook.approval.ApprovalCheck;
import dev.runbook.approval.ApprovalPayload;
import dev.runbook.approval.ApprovalSource;
import dev.runbook.journal.Event;
import dev.runbook.model.Approval;
import dev.runbook.model.Durations;
import dev.runbook.model.Sha256;
import dev.runbook.model.Step;
import dev.runbook.signing.AllowedSigners;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A step's wait for approval (docs/team.md, "Approvals"): records {@code approval.requested} with
 * the exact resolved command, then checks each approval that arrives ({@link ApprovalCheck}) and
 * records it ({@code approval.granted}, {@code approval.denied}, {@code approval.refused}) until
 * enough people granted it, one denied it, the responder stopped waiting, the rule's timeout
 * passed, or a stop signal came. The SLA clock and the escalation timer run meanwhile.
 */
final class ApprovalWait {

    private final Plan plan;
    private final Operator op;
    private final Recorder rec;
    private final Interruption stop;
    private final String incident;
    private final ApprovalSource source;
    private final AllowedSigners signers;
    private final byte[] runnerKey;

    ApprovalWait(
            Plan plan,
            Operator op,
            Recorder rec,
            Interruption stop,
            String incident,
            ApprovalSource source,
            AllowedSigners signers,
            byte[] runnerKey) {
        this.plan = plan;
        this.op = op;
        this.rec = rec;
        this.stop = stop;
        this.incident = incident;
        this.source = source;
        this.signers = signers;
        this.runnerKey = runnerKey == null ? null : runnerKey.clone();
    }

    /**
     * The rule a step runs under: its own {@code approval:}; else, for a {@code dangerous} step in a
     * {@code protected} environment of a library with an allowed_signers file, {@link
     * Approval#DEFAULT}; else none.
     */
    static Approval rule(Step step, Plan plan, AllowedSigners signers) {
        if (step.approval() != null) {
            return step.approval();
        }
        boolean guarded = step.dangerous()
                && plan.environment() != null
                && plan.environment().isProtected();
        return guarded && signers != null ? Approval.DEFAULT : null;
    }

    /**
     * Waits for the approval of one attempt of a step.
     *
     * @param step the step
     * @param rule its rule
     * @param target the resolved command ({@link StepText#target}); null: the action's key
     * @param attempt the attempt about to run
     * @return null when approved; else why the step does not run (its failure)
     * @throws Interruption.Interrupted when a stop signal came
     */
    String await(Step step, Approval rule, String target, int attempt) throws Interruption.Interrupted {
        if (signers == null) {
            return "step '" + step.id() + "' needs approval, and there is no allowed_signers file to check approvers"
                    + " against (the library's allowed_signers, or --allowed-signers FILE)";
        }
        if (source == null) {
            return "step '" + step.id() + "' needs approval, and this unattended run cannot receive one: declare a"
                    + " team store (approvers use 'runbook approve') or run it interactively";
        }
        String command = plan.masker().mask(target == null ? step.action().key() : target);
        String sha = Sha256.hex(command);
        long request = rec.append(new Event.ApprovalRequested(
                step.id(),
                attempt,
                command,
                sha,
                rule.from(),
                rule.min(),
                rule.timeout().toMillis()));
        String from = rule.from().isEmpty() ? "anyone in allowed_signers" : String.join(" or ", rule.from());
        op.banner("⏸ APPROVAL NEEDED for step " + step.id() + ": " + rule.min() + " approver(s), " + from
                + ", other than " + plan.operator() + "; waiting up to " + Durations.format(rule.timeout()));
        op.info("  command: " + command);
        op.info("  approvers: runbook approve " + incident + " " + step.id() + " (or --deny)");
        ApprovalCheck.Pending pending = new ApprovalCheck.Pending(
                incident, step.id(), request, attempt, sha, rule.from(), plan.operator(), runnerKey);
        try {
            return poll(step, rule, request, command, pending);
        } finally {
            Thread.interrupted(); // a stop consumed here must not reach what runs after the walk
        }
    }

    /** How {@code approval.granted} and {@code approval.denied} are made: the same fields. */
    @FunctionalInterface
    private interface Decided {
        Event make(
                String step,
                long request,
                String approver,
                List<String> principals,
                String key,
                String signature,
                String via);
    }

    /**
     * Checks what the source brings, each second, until enough approvals counted, a denial, the
     * rule's timeout, or the source gives up.
     *
     * @return null when approved; else why the step does not run
     * @throws Interruption.Interrupted when a stop signal came
     */
    private String poll(Step step, Approval rule, long request, String command, ApprovalCheck.Pending pending)
            throws Interruption.Interrupted {
        Set<String> seen = new HashSet<>();
        Set<String> counted = new HashSet<>();
        long deadline = System.nanoTime() + rule.timeout().toNanos();
        while (true) {
            stop.check();
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return "not approved within " + Durations.format(rule.timeout()) + " (" + counted.size() + " of "
                        + rule.min() + " approval(s))";
            }
            ApprovalSource.Arrival a;
            try {
                a = source.next(pending, command, Math.min(left, 1_000));
            } catch (InterruptedException e) {
                stop.check(); // the flag is cleared: a stray interrupt only ends this poll
                continue;
            }
            if (a instanceof ApprovalSource.Abandoned ab) {
                return "not approved: " + ab.why();
            }
            for (ApprovalSource.Submitted s : ((ApprovalSource.Some) a).items()) {
                ApprovalCheck.Verdict v =
                        ApprovalCheck.check(s.payload(), s.signature(), signers, pending, seen, counted);
                if (v instanceof ApprovalCheck.Refused r) {
                    rec.record(new Event.ApprovalRefused(step.id(), request, r.by(), r.key(), r.reason()));
                    op.info("✗ approval refused (" + r.by() + "): " + r.reason());
                    continue;
                }
                ApprovalCheck.Counted c = (ApprovalCheck.Counted) v;
                String signature = s.signature().strip();
                seen.add(signature); // only what counted: a refused one must not block the real one
                boolean granted = c.decision() == ApprovalPayload.Decision.GRANTED;
                Decided event = granted ? Event.ApprovalGranted::new : Event.ApprovalDenied::new;
                rec.record(
                        event.make(step.id(), request, c.person(), c.principals(), c.key(), signature, source.via()));
                if (!granted) {
                    op.info("✗ denied by " + c.person());
                    return "denied by " + c.person() + " (" + String.join(", ", c.principals()) + ")";
                }
                counted.add(c.person());
                op.info("✓ approved by " + c.person() + " (" + String.join(", ", c.principals()) + "), "
                        + counted.size() + " of " + rule.min());
                if (counted.size() >= rule.min()) {
                    return null;
                }
            }
        }
    }
}
