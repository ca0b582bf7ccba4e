package dev.runbook.console;

import dev.runbook.action.ActionContext;
import dev.runbook.engine.Answer;
import dev.runbook.engine.Closing;
import dev.runbook.engine.InFlightChoice;
import dev.runbook.engine.Operator;
import dev.runbook.engine.Plan;
import dev.runbook.engine.StepView;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Durations;
import dev.runbook.model.InputDef;
import dev.runbook.model.Runbook;
import dev.runbook.model.Step;
import dev.runbook.template.Masker;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan as data, for {@code runbook show --format json|jsonl}: the same dry walk as the
 * console's ({@link dev.runbook.engine.DryRun}), each step with its resolved target (masked), its
 * rules and, when a template cannot be resolved, the error. It asks nothing: a prompt is a bug.
 */
public final class PlanDocument implements Operator {

    private final Map<String, Object> runbook = new LinkedHashMap<>();
    private final List<Map<String, Object>> steps = new ArrayList<>();
    private Masker masker = new Masker();

    /**
     * The whole document: {@code runbook} (the header) and {@code steps} (every step of {@code
     * steps}, {@code rollback} and {@code verify}, in that order, each with its {@code phase}).
     */
    public Map<String, Object> document() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("runbook", runbook);
        d.put("steps", steps);
        return d;
    }

    /** One row per step, as in {@link #document()}, each with the runbook's id. */
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map<String, Object> s : steps) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("runbook", runbook.get("id"));
            r.putAll(s);
            rows.add(r);
        }
        return rows;
    }

    @Override
    public void opened(Plan plan, String incidentId, Path log) {
        masker = plan.masker();
        Runbook rb = plan.runbook();
        runbook.put("id", rb.id());
        runbook.put("title", rb.title());
        runbook.put("severity", rb.severity().name());
        runbook.put("service", rb.service());
        runbook.put("env", plan.envName());
        runbook.put(
                "protected", plan.environment() != null && plan.environment().isProtected());
        runbook.put("summary", rb.summary());
        runbook.put("symptoms", rb.symptoms());
        Map<String, Object> sla = new LinkedHashMap<>();
        sla.put(
                "respond",
                rb.sla().respond() == null ? null : Durations.format(rb.sla().respond()));
        sla.put(
                "resolve",
                rb.sla().resolve() == null ? null : Durations.format(rb.sla().resolve()));
        runbook.put("sla", sla);
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (InputDef in : rb.inputs().values()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("name", in.name());
            i.put("description", in.description());
            i.put("required", in.required());
            i.put("secret", in.secret());
            i.put("default", in.secret() || in.defaultValue() == null ? null : in.defaultValue());
            inputs.add(i);
        }
        runbook.put("inputs", inputs);
        runbook.put("verified", rb.verifies());
        runbook.put("file", rb.source() == null ? null : rb.source().path());
    }

    @Override
    public void step(StepView v, Plan plan) {
        Step s = v.step();
        var d = v.display();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("phase", v.phase().wire());
        m.put("number", v.number());
        m.put("id", s.id());
        m.put("title", masker.mask(d.apply(s.title())));
        m.put("description", s.description() == null ? null : masker.mask(d.apply(s.description())));
        m.put("action", s.action().key());
        m.put("target", v.target() == null ? null : masker.mask(v.target()));
        if (s.action() instanceof ActionSpec.Manual man) {
            m.put(
                    "checklist",
                    man.checklist().stream().map(c -> masker.mask(d.apply(c))).toList());
        } else if (s.action() instanceof ActionSpec.Choose c) {
            m.put("question", masker.mask(d.apply(c.question())));
            List<Map<String, Object>> options = new ArrayList<>();
            for (ActionSpec.Option o : c.options()) {
                Map<String, Object> opt = new LinkedHashMap<>();
                opt.put("label", masker.mask(d.apply(o.label())));
                opt.put("goto", o.gotoStep() == null ? null : o.gotoStep().text());
                opt.put("default", o == c.defaultChoice());
                options.add(opt);
            }
            m.put("options", options);
        }
        m.put("when", s.when());
        m.put("timeout", s.timeout() == null ? null : Durations.format(s.timeout()));
        m.put(
                "retry",
                s.retry().attempts() > 1
                        ? Map.of(
                                "attempts",
                                s.retry().attempts(),
                                "delay",
                                Durations.format(s.retry().delay()))
                        : null);
        m.put("check", s.check());
        m.put("on_failure", s.onFailure().text());
        m.put("on_success", s.onSuccess().text());
        m.put("dangerous", s.dangerous());
        m.put("error", null);
        steps.add(m);
    }

    /** The dry walk reports a target it cannot resolve as a line starting with ✗, after the step. */
    @Override
    public void info(String text) {
        if (text.startsWith("✗ ") && !steps.isEmpty()) {
            steps.get(steps.size() - 1).put("error", masker.mask(text.substring(2)));
        }
    }

    @Override
    public void closed(Closing closing) {
        // the document is the plan; nothing ran
    }

    @Override
    public void skipped(StepView view, String reason) {
        // a dry walk skips nothing
    }

    @Override
    public void banner(String text) {
        // no clock runs during a show
    }

    @Override
    public void attemptStarted(StepView view, int attempt, int attempts) {
        throw asked("an attempt");
    }

    @Override
    public void attemptFinished(
            StepView view,
            int attempt,
            dev.runbook.model.StepStatus status,
            java.time.Duration took,
            String error,
            Map<String, Object> result) {
        throw asked("an attempt");
    }

    @Override
    public void line(String source, String line) {
        // a dry walk runs nothing, so nothing prints
    }

    @Override
    public void progress(String text) {
        // idem
    }

    @Override
    public Answer askStep(StepView view) {
        throw asked("a step");
    }

    @Override
    public Answer askChoice(StepView view, ActionSpec.Choose choose) {
        throw asked("a choice");
    }

    @Override
    public String askInput(InputDef def) {
        throw asked("an input");
    }

    @Override
    public boolean confirmTyped(StepView view, String expected, String why) {
        throw asked("a confirmation");
    }

    @Override
    public Answer askAfterFailure(StepView view, String error) {
        throw asked("a failure");
    }

    @Override
    public InFlightChoice askInFlight(StepView view, Instant since) {
        throw asked("an in-flight step");
    }

    @Override
    public ActionContext.HostKeyPolicy hostKeys() {
        return ActionContext.HostKeyPolicy.REFUSE;
    }

    private static IllegalStateException asked(String what) {
        return new IllegalStateException("a plan document asks nothing, but was asked about " + what);
    }
}
