package dev.runbook.cli;

import dev.runbook.console.Style;
import dev.runbook.console.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The colour choice of the commands that print in colour (a picocli mixin). The option itself,
 * {@code --no-color}, is one global option of {@link RootCommand}, accepted by every command
 * (picocli's inherited scope), before or after the subcommand's name.
 */
@Command // a mixin of no option of its own: it only reads the global one
public final class ColorOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The style for this terminal: colours only on a colour terminal and without {@code --no-color}. */
    public Style style(Terminal terminal) {
        return new Style(terminal.color(noColor()));
    }

    private boolean noColor() {
        for (CommandSpec s = mixee; s != null; s = s.parent()) {
            if (s.userObject() instanceof RootCommand root) {
                return root.noColor;
            }
        }
        return false;
    }
}
