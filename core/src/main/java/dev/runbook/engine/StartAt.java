package dev.runbook.engine;

import dev.runbook.model.Runbook;
import dev.runbook.model.Step;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Expressions;
import dev.runbook.template.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code runbook run --start-at STEP} (issue 10): a new incident that starts at a step of the main
 * walk, for a responder who already did the steps before it by hand. Those steps have no result,
 * so a later step that reads one ({@code steps.ID.…} in a template or an expression) would run
 * with an empty value: such a start is refused before anything runs.
 */
public final class StartAt {

    private StartAt() {}

    /**
     * Checks a start step.
     *
     * @param rb the runbook
     * @param stepId the step to start at
     * @throws PlanException when the step is not a main step, or when a step that can run from there
     *     (the main steps from it on, the rollback and verify sections) reads the result of a step
     *     before it; the message names the file and both steps
     */
    public static void check(Runbook rb, String stepId) throws PlanException {
        int start = rb.indexOf(stepId);
        String file = rb.source().path();
        if (start < 0) {
            throw new PlanException(file + ": --start-at '" + stepId + "' is not a step of the main walk (steps: "
                    + String.join(", ", rb.steps().stream().map(Step::id).toList()) + ")");
        }
        List<String> skipped =
                rb.steps().subList(0, start).stream().map(Step::id).toList();
        List<Step> later = Stream.of(rb.steps().subList(start, rb.steps().size()), rb.rollback(), rb.verify())
                .flatMap(List::stream)
                .toList();
        for (Step s : later) {
            for (List<String> ref : refs(s)) {
                if (ref.size() > 1 && ref.get(0).equals("steps") && skipped.contains(ref.get(1))) {
                    throw new PlanException(s.at(s.action().key()) + ": --start-at " + stepId + " skips step '"
                            + ref.get(1) + "', whose result step '" + s.id() + "' reads (" + String.join(".", ref)
                            + "): start at '" + ref.get(1) + "' or earlier");
                }
            }
        }
    }

    /** The names a step reads ({@code [steps, ID, field]}…): its templates and expressions. */
    static List<List<String>> refs(Step s) {
        List<List<String>> out = new ArrayList<>();
        List<String> templates = new ArrayList<>(s.action().templates());
        templates.add(s.title());
        templates.add(s.description());
        for (String t : templates) {
            if (t != null) {
                try {
                    out.addAll(Template.parse(t).variables());
                } catch (ExpressionException e) {
                    // validated at load
                }
            }
        }
        List<String> expressions = new ArrayList<>(s.check());
        expressions.add(s.when());
        expressions.add(s.retry().until());
        for (String e : expressions) {
            if (e != null) {
                try {
                    out.addAll(Expressions.compile(e).variables());
                } catch (ExpressionException ex) {
                    // validated at load
                }
            }
        }
        return out;
    }
}
