package dev.runbook.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, validated runbook (contract, "A runbook file").
 *
 * @param id unique across the library
 * @param title human title
 * @param severity P1..P4
 * @param service free text; may be null
 * @param origin where the procedure comes from (extension key {@code source}: a document and
 *     section, e.g. "akig-runbooks-incidents-production.md : RB-P1-001"); may be null
 * @param tags may be empty
 * @param sla targets; never null, its fields may be
 * @param summary one line; may be null
 * @param symptoms shown before step 1; may be empty
 * @param inputs declared inputs in file order
 * @param vars static values in file order; values may hold templates
 * @param secrets names read from the process environment
 * @param steps at least one
 * @param rollback steps run when the run turns to rollback; may be empty
 * @param verify the resolution checks (contract key {@code verify}): run when the walk reaches its
 *     end and after a completed rollback; {@code resolved} only when they all pass; may be empty
 * @param source the file it was read from, with its SHA-256
 * @param drills the sandbox drills that prove the runbook (extension key {@code drill}: one drill or a
 *     list of them), in file order; may be empty
 * @param escalation the escalation tiers (extension key {@code escalation}, docs/format.md
 *     "Escalation on the clock"), in file order; may be empty
 * @param updates the incident-level updates posted to a channel (extension key {@code updates});
 *     null when none
 */
public record Runbook(
        String id,
        String title,
        Severity severity,
        String service,
        String origin,
        List<String> tags,
        Sla sla,
        String summary,
        List<String> symptoms,
        Map<String, InputDef> inputs,
        Map<String, String> vars,
        List<String> secrets,
        List<Step> steps,
        List<Step> rollback,
        List<Step> verify,
        Source source,
        List<Drill> drills,
        List<Escalation> escalation,
        Updates updates) {

    /**
     * Extension key {@code drill: {fault: NAME, allow_dangerous: BOOL, inputs: {NAME: VALUE}}}:
     * {@code runbook drill} injects the fault in a sandbox, runs the runbook unattended and checks
     * the fault is gone.
     *
     * @param fault a sandbox fault name; checked by {@code runbook drill}, not at load time
     * @param allowDangerous the drill runs dangerous steps (as {@code --allow-dangerous}); default false
     * @param inputs input values of the drill's run (as {@code runbook run --var NAME=VALUE}); empty by default
     */
    public record Drill(String fault, boolean allowDangerous, Map<String, String> inputs) {}

    /**
     * The file a runbook was read from.
     *
     * @param path the path as given (relative paths stay relative)
     * @param sha256 lowercase hex SHA-256 of the file's bytes
     */
    public record Source(String path, String sha256) {}

    /** What a plan, a closing line and every export say of a runbook without {@code verify:}. */
    public static final String NOT_VERIFIED = "not verified: the runbook has no verify section";

    /** The same runbook with other sections (the mutants of {@code runbook drill --mutate}). */
    public Runbook withSections(List<Step> steps, List<Step> rollback, List<Step> verify) {
        return new Runbook(
                id,
                title,
                severity,
                service,
                origin,
                tags,
                sla,
                summary,
                symptoms,
                inputs,
                vars,
                secrets,
                steps,
                rollback,
                verify,
                source,
                drills,
                escalation,
                updates);
    }

    /** The step with this id, among steps, rollback and verify steps. */
    public Optional<Step> step(String stepId) {
        return java.util.stream.Stream.of(steps, rollback, verify)
                .flatMap(List::stream)
                .filter(s -> s.id().equals(stepId))
                .findFirst();
    }

    /** The section of the step with this id ({@link Phase#STEPS} for an unknown id). */
    public Phase phaseOf(String stepId) {
        if (rollback.stream().anyMatch(s -> s.id().equals(stepId))) {
            return Phase.ROLLBACK;
        }
        if (verify.stream().anyMatch(s -> s.id().equals(stepId))) {
            return Phase.VERIFY;
        }
        return Phase.STEPS;
    }

    /** True when the runbook declares resolution checks. */
    public boolean verifies() {
        return !verify.isEmpty();
    }

    /** Index of a main step by id, or -1 when it is not a main step. */
    public int indexOf(String stepId) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).id().equals(stepId)) {
                return i;
            }
        }
        return -1;
    }
}
