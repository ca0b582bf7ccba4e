package dev.runbook.cli;

import dev.runbook.console.Terminal;

/** The {@code runbook} command's entry point. */
public final class Main {

    private Main() {}

    /** Runs the CLI on the real terminal and exits with its code. */
    public static void main(String[] args) {
        System.exit(Cli.create(Terminal.system(), args).execute(args));
    }
}
