package dev.runbook.cli;

import dev.runbook.console.Style;
import dev.runbook.console.Terminal;
import picocli.CommandLine.Option;

/** The {@code --no-color} option shared by the commands that print in colour (a picocli mixin). */
public final class ColorOption {

    @Option(names = "--no-color", description = "No colours (also when NO_COLOR is set).")
    boolean noColor;

    /** The style for this terminal: colours only on a colour terminal and without {@code --no-color}. */
    public Style style(Terminal terminal) {
        return new Style(terminal.color(noColor));
    }
}
