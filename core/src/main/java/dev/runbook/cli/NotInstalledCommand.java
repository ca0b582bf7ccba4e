package dev.runbook.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Stands in for a command of an optional module that is not installed ({@link CommandModule}):
 * whatever it is given, it prints one line naming the module and how to install it, and exits
 * with {@link ExitCodes#USAGE} (nothing was executed).
 */
@Command
public final class NotInstalledCommand implements Callable<Integer> {

    /** A module the CLI knows of, and a command it provides. */
    public record Missing(String command, String module, String header) {}

    /** The commands of the optional modules, with the module that provides each. */
    public static final List<Missing> KNOWN = List.of(
            new Missing(
                    "sandbox",
                    "runbook-sandbox",
                    "Run the practice environment (app, PostgreSQL, SSH hosts) [needs runbook-sandbox]."),
            new Missing(
                    "drill",
                    "runbook-sandbox",
                    "Prove a runbook fixes its fault against the sandbox [needs runbook-sandbox]."));

    private final Missing missing;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Unmatched
    List<String> ignored;

    /** @param missing the command this one stands in for */
    public NotInstalledCommand(Missing missing) {
        this.missing = missing;
    }

    /** The picocli command line of this stand-in, named and described as the missing command. */
    CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(this, factory);
        cl.getCommandSpec().name(missing.command());
        cl.getCommandSpec().usageMessage().header(missing.header());
        return cl;
    }

    @Override
    public Integer call() {
        throw new ExitException(
                ExitCodes.USAGE,
                "'runbook " + missing.command() + "' needs the " + missing.module()
                        + " module, which is not installed: put " + missing.module() + ".jar beside "
                        + where() + " (a release has it in lib/; from the sources: ./mvnw -B package"
                        + " -DskipTests)");
    }

    /** runbook.jar's path, or its name when the code does not come from a jar. */
    private static String where() {
        try {
            Path p = Path.of(NotInstalledCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return p.toString().endsWith(".jar") ? p.toString() : "runbook.jar";
        } catch (Exception e) {
            return "runbook.jar";
        }
    }
}
