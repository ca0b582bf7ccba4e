package dev.runbook.engine;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.Inventory;
import dev.runbook.model.Step;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Renderer;

/** How a step is named on screen and in the log: its target, and its templates for display. */
final class StepText {

    private StepText() {}

    /**
     * The resolved, masked target of a step: the executor's {@code target()}, or a summary
     * of an operator step.
     */
    static String target(Step step, Actions actions, Renderer renderer, Inventory.Environment env) {
        ActionSpec a = step.action();
        var exec = actions.forSpec(a);
        if (exec.isPresent()) {
            return exec.get().target(a, renderer, env);
        }
        if (a instanceof ActionSpec.Manual m) {
            return firstLine(renderer.text(m.text()).display());
        }
        if (a instanceof ActionSpec.Input in) {
            return in.name()
                    + (in.defaultValue() == null
                            ? ""
                            : " (default " + renderer.text(in.defaultValue()).display() + ")");
        }
        if (a instanceof ActionSpec.Call c) {
            return c.id() + " (a child incident)";
        }
        if (a instanceof ActionSpec.Choose c) {
            return renderer.text(c.question()).display();
        }
        return a.key();
    }

    /** Renders a template for the screen; shows it as written when it cannot be rendered. */
    static java.util.function.UnaryOperator<String> display(Renderer r) {
        return t -> {
            if (t == null) {
                return null;
            }
            try {
                return r.text(t).display();
            } catch (ExpressionException e) {
                return t;
            }
        };
    }

    static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl) + " …";
    }
}
