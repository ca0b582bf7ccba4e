package dev.runbook.cli;

import dev.runbook.console.Terminal;
import picocli.CommandLine;

/**
 * The one factory of the {@code runbook} command line, used by {@link Main} and by tests
 * (design notes: kcctl, jbang). Commands whose constructor takes a {@link Terminal} get
 * this one; errors become one line on stderr and an exit code ({@link ExitCodes}); stack
 * traces only with {@code --stacktrace}.
 */
public final class Cli {

    private Cli() {}

    /**
     * Builds the command line for one invocation: only the subcommand the arguments name is
     * built in full ({@link Subcommands}).
     *
     * @param terminal streams, interactivity and environment of this invocation
     * @param args the arguments it will be executed with
     * @return a picocli command line; {@code execute(args)} returns the exit code
     */
    public static CommandLine create(Terminal terminal, String... args) {
        return build(terminal, Subcommands.invoked(args), false);
    }

    /**
     * Builds the whole command tree, every subcommand in full: what the completion scripts and
     * the man pages are made from.
     *
     * @param terminal streams, interactivity and environment
     * @return the {@code runbook} command line with all its subcommands
     */
    public static CommandLine createWhole(Terminal terminal) {
        return build(terminal, null, true);
    }

    private static CommandLine build(Terminal terminal, String invoked, boolean whole) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                try {
                    return cls.getDeclaredConstructor(Terminal.class).newInstance(terminal);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(cls);
                }
            }
        };
        CommandLine cl = new CommandLine(RootCommand.class, factory);
        Subcommands.add(cl, factory, invoked, whole);
        cl.setDefaultValueProvider(new ConfiguredDefaults(terminal.env()));
        // Descriptions are written as lines of up to ~100 characters; auto width still follows a
        // wider terminal.
        cl.setUsageHelpWidth(120);
        cl.setOut(terminal.out());
        cl.setErr(terminal.err());
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            boolean trace = parseResult.hasMatchedOption("--stacktrace")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--stacktrace"))
                    || hasTrace(parseResult);
            int code = ex instanceof ExitException ee ? ee.code() : ExitCodes.INTERNAL;
            String msg = ex instanceof ExitException
                    ? ex.getMessage()
                    : "internal error: " + ex + (trace ? "" : " (run again with --stacktrace for details)");
            line.getErr().println("runbook: " + msg);
            if (trace) {
                ex.printStackTrace(line.getErr());
            }
            line.getErr().flush();
            return code;
        });
        cl.setParameterExceptionHandler((ex, rest) -> {
            CommandLine c = ex.getCommandLine();
            for (Throwable t = ex.getCause(); t != null; t = t.getCause()) {
                if (t instanceof ExitException exit) { // from the config's defaults: its own one line
                    c.getErr().println("runbook: " + exit.getMessage());
                    c.getErr().flush();
                    return exit.code();
                }
            }
            c.getErr().println("runbook: " + ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
                CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, c.getErr());
            }
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            c.getErr().flush();
            return ExitCodes.USAGE;
        });
        return cl;
    }

    private static boolean hasTrace(CommandLine.ParseResult pr) {
        for (CommandLine.ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--stacktrace")) {
                return true;
            }
        }
        return false;
    }
}
