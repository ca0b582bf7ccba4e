package dev.runbook.report;

import java.util.List;
import java.util.stream.Collectors;

/** Facts derived from the log that several documents state the same way (what fixed it, what to review). */
final class ReportFacts {

    private ReportFacts() {}

    /** How the service was (or was not) restored, from the outcome and the steps that succeeded. */
    static String mitigation(Incident in) {
        List<String> done = in.steps().stream()
                .filter(s -> !s.rollback() && s.status().equals("succeeded"))
                .map(StepSummary::step)
                .collect(Collectors.toList());
        String steps = done.isEmpty() ? "no step succeeded" : "steps " + String.join(", ", done) + " succeeded";
        switch (in.outcomeLabel()) {
            case "resolved":
                return "resolved by runbook " + in.runbookId() + " (" + steps + ")";
            case "rolled_back":
                return "rolled back (" + rollbackReason(in) + ")";
            case "unfinished":
                return "not known: the log is unfinished (" + steps + ")";
            default:
                return "not restored by the runbook: outcome " + in.outcomeLabel() + " (" + steps + ")";
        }
    }

    /** The reason logged with {@code rollback.started}, or "no reason logged". */
    static String rollbackReason(Incident in) {
        return in.timeline().stream()
                .filter(e -> e.type().equals("rollback.started"))
                .map(e -> e.data().get("reason"))
                .filter(r -> r != null)
                .map(String::valueOf)
                .findFirst()
                .orElse("no reason logged");
    }

    /** A hint for the runbook review: the steps that failed or needed retries. */
    static String runbookHint(Incident in) {
        List<String> hard = in.steps().stream()
                .filter(s ->
                        s.attempts() > 1 || !List.of("succeeded", "skipped").contains(s.status()))
                .map(s ->
                        s.step() + " " + s.status() + (s.attempts() > 1 ? " after " + s.attempts() + " attempts" : ""))
                .collect(Collectors.toList());
        return hard.isEmpty() ? "" : " (review: " + String.join("; ", hard) + ")";
    }
}
