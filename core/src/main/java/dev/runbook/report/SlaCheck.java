package dev.runbook.report;

import java.time.Duration;

/**
 * One SLA target of the runbook judged against the log.
 *
 * <p>{@code respond} is measured to the first operator action (the first
 * {@code operator.decision}, else the first {@code step.started}, as MTTA);
 * {@code resolve} to {@code incident.closed} with outcome {@code resolved} or
 * {@code rolled_back} (service restored). An {@code sla.breached} event in the log
 * always counts as a breach.
 *
 * @param name {@code respond} or {@code resolve}
 * @param target the target
 * @param actualMs the measured time in milliseconds; null when the goal was not reached
 * @param state {@code met}, {@code breached}, {@code pending} (open and not yet late) or
 *              {@code not_met} (closed without reaching the goal, before the deadline)
 * @param marginMs target minus actual (or minus elapsed when not reached): positive is time to spare,
 *                 negative how late
 */
public record SlaCheck(String name, Duration target, Long actualMs, String state, long marginMs) {

    /** True when the target was missed. */
    public boolean breached() {
        return "breached".equals(state);
    }
}
