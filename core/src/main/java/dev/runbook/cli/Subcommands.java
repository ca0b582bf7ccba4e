package dev.runbook.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The subcommands of {@code runbook}, built lazily: only the one an invocation names is built
 * in full (its options, mixins and nested commands); the others are listed by name and header
 * for the help and picocli's "did you mean", from their {@code @Command} annotation alone.
 * Building every command's model took most of a {@code --version}'s time (issue 12, item 3).
 * {@code help} and {@code completion} read the whole tree, so they get it in full.
 */
final class Subcommands {

    /** The core's commands, in the order the help lists them. */
    private static final List<Class<?>> CORE = List.of(
            RunCommand.class,
            ResumeCommand.class,
            ApproveCommand.class,
            ValidateCommand.class,
            ListCommand.class,
            ShowCommand.class,
            LogCommand.class,
            StoreCommand.class,
            ConfigCommand.class,
            CompletionCommand.class,
            SchemaCommand.class,
            BoardCommand.class);

    /** Commands that read the whole command tree. */
    private static final List<String> WHOLE_TREE = List.of("help", "completion");

    private Subcommands() {}

    /**
     * Adds the subcommands to the root: the core's, then the optional modules' on the class path
     * ({@link CommandModule}), a {@link NotInstalledCommand} for each known one that is absent,
     * then {@code help}.
     *
     * @param root the {@code runbook} command line, without subcommands
     * @param factory the factory that builds commands (it passes the terminal)
     * @param invoked the command that is built in full ({@link #invoked}), or null for none
     * @param whole true to build every command in full (what {@code help} and {@code completion}
     *     get too)
     */
    static void add(CommandLine root, CommandLine.IFactory factory, String invoked, boolean whole) {
        boolean all = whole || invoked != null && WHOLE_TREE.contains(invoked);
        for (Map.Entry<String, Class<?>> e : commands().entrySet()) {
            String name = e.getKey();
            if (all || name.equals(invoked)) {
                root.addSubcommand(name, new CommandLine(e.getValue(), factory));
            } else {
                root.addSubcommand(name, listed(name, e.getValue()));
            }
        }
        for (NotInstalledCommand.Missing m : NotInstalledCommand.KNOWN) {
            if (!root.getSubcommands().containsKey(m.command())) {
                root.addSubcommand(m.command(), new NotInstalledCommand(m).commandLine(factory));
            }
        }
        root.addSubcommand(new CommandLine.HelpCommand());
    }

    /** The name of the subcommand the arguments invoke: the first that is not an option (the root's take no value). */
    static String invoked(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    /** Name → class of every installed command, core first, in help order. */
    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> c : CORE) {
            byName.put(c.getAnnotation(Command.class).name(), c);
        }
        for (CommandModule module : ServiceLoader.load(CommandModule.class)) {
            for (Class<?> c : module.commands()) {
                byName.putIfAbsent(c.getAnnotation(Command.class).name(), c);
            }
        }
        return byName;
    }

    /** A command listed by its name and header only; never executed (it is built when invoked). */
    private static CommandLine listed(String name, Class<?> cls) {
        Command a = cls.getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(name);
        spec.usageMessage().header(a.header().length > 0 ? a.header() : a.description());
        return new CommandLine(spec);
    }
}
