package dev.runbook.report;

import dev.runbook.journal.EventType;
import dev.runbook.model.Outcome;
import dev.runbook.model.Phase;
import dev.runbook.model.StepStatus;
import java.util.List;
import java.util.stream.Collectors;

/** Facts derived from the log that several documents state the same way (what fixed it, what to review). */
final class ReportFacts {

    private ReportFacts() {}

    /** How the service was (or was not) restored, from the outcome and the steps that succeeded. */
    static String mitigation(Incident in) {
        java.util.Set<String> acting = in.attempts().stream()
                .filter(ReportFacts::acts)
                .map(Attempt::step)
                .collect(Collectors.toSet());
        List<String> done = in.steps().stream()
                .filter(s ->
                        s.phase() == Phase.STEPS && StepStatus.SUCCEEDED.wire().equals(s.status()))
                .map(StepSummary::step)
                .filter(acting::contains)
                .collect(Collectors.toList());
        String steps = done.isEmpty() ? "no step succeeded" : "steps " + String.join(", ", done) + " succeeded";
        if (!in.closed()) {
            return "not known: the log is unfinished (" + steps + ")";
        }
        Outcome o = in.outcomeType().orElse(null);
        if (o == Outcome.RESOLVED) {
            return "resolved by runbook " + in.runbookId() + " (" + steps + ")";
        }
        if (o == Outcome.ROLLED_BACK) {
            return "rolled back (" + rollbackReason(in) + ")";
        }
        return "not restored by the runbook: outcome " + in.outcomeLabel() + " (" + steps + ")";
    }

    /**
     * True for an attempt that acted on the service: a {@code shell}, {@code ssh} or {@code sql}
     * step, or an {@code http} request other than GET/HEAD. Inputs, choices, notes, waits and
     * health checks are not "the fix".
     */
    private static boolean acts(Attempt a) {
        String action = a.action() == null ? "" : a.action();
        return switch (action) {
            case "shell", "ssh", "sql" -> true;
            case "http" ->
                a.target() != null
                        && !a.target().startsWith("GET ")
                        && !a.target().startsWith("HEAD ");
            default -> false;
        };
    }

    /**
     * What the responder typed during the run for a post-mortem field: the value of the last
     * {@code input} step, or of a start input, whose name matches (e.g. {@code impact},
     * {@code cause}); null when none.
     *
     * @param in the incident
     * @param name a regex matched against the input step's id and the input's name
     */
    static String typed(Incident in, String name) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(name, java.util.regex.Pattern.CASE_INSENSITIVE);
        String found = null;
        for (var e : in.inputs().entrySet()) {
            if (p.matcher(e.getKey()).find() && e.getValue() != null) {
                found = String.valueOf(e.getValue());
            }
        }
        for (TimelineEntry t : in.timeline()) {
            if (!EventType.STEP_FINISHED.is(t.type())
                    || t.step() == null
                    || !p.matcher(t.step()).find()) {
                continue;
            }
            if (t.data().get("result") instanceof java.util.Map<?, ?> r && r.get("value") != null) {
                found = String.valueOf(r.get("value"));
            }
        }
        return found == null || found.isBlank() ? null : found;
    }

    /**
     * What the log says about the service being verified (docs/format.md, "verify"), one line:
     * every check passed; which check failed and why; that the runbook has no verify section (a
     * walk that reached its end without checks); or that the walk never got to the checks.
     */
    static String verification(Incident in) {
        if (in.verified()) {
            return "verified: every check of the verify section passed (" + String.join(", ", checks(in)) + ")";
        }
        Attempt failed = null;
        for (Attempt a : in.attempts()) {
            if (a.phase() == Phase.VERIFY
                    && !StepStatus.of(a.status()).map(StepStatus::ok).orElse(false)) {
                failed = a;
            }
        }
        if (failed != null && in.closed()) {
            return "verify failed: check '" + failed.step() + "' " + failed.status()
                    + (failed.error() == null ? "" : ": " + failed.error());
        }
        Outcome o = in.outcomeType().orElse(null);
        if ((o == Outcome.RESOLVED || o == Outcome.ROLLED_BACK) && checks(in).isEmpty()) {
            return dev.runbook.model.Runbook.NOT_VERIFIED;
        }
        return "not verified: the walk did not reach the verify section";
    }

    /** The ids of the verify steps the log holds, in order. */
    static List<String> checks(Incident in) {
        return in.steps().stream()
                .filter(s -> s.phase() == Phase.VERIFY)
                .map(StepSummary::step)
                .collect(Collectors.toList());
    }

    /** The reason logged with {@code rollback.started}, or "no reason logged". */
    static String rollbackReason(Incident in) {
        return in.timeline().stream()
                .filter(e -> EventType.ROLLBACK_STARTED.is(e.type()))
                .map(e -> e.data().get("reason"))
                .filter(r -> r != null)
                .map(String::valueOf)
                .findFirst()
                .orElse("no reason logged");
    }

    /** A hint for the runbook review: the steps that failed or needed retries. */
    static String runbookHint(Incident in) {
        List<String> hard = in.steps().stream()
                .filter(s -> s.attempts() > 1
                        || !StepStatus.of(s.status()).map(StepStatus::ok).orElse(false))
                .map(s ->
                        s.step() + " " + s.status() + (s.attempts() > 1 ? " after " + s.attempts() + " attempts" : ""))
                .collect(Collectors.toList());
        return hard.isEmpty() ? "" : " (review: " + String.join("; ", hard) + ")";
    }
}
