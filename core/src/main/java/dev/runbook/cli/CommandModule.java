package dev.runbook.cli;

import java.util.List;

/**
 * Subcommands that an optional module adds to {@code runbook} when its jar is on the class path
 * beside runbook.jar: found with {@link java.util.ServiceLoader} through the module's
 * {@code META-INF/services/dev.runbook.cli.CommandModule}. The sandbox module
 * ({@code runbook-sandbox}) adds {@code sandbox} and {@code drill} this way.
 */
public interface CommandModule {

    /**
     * The module's commands.
     *
     * @return picocli command classes, each annotated with {@code @Command(name = …)}; built by
     *     the CLI's factory, so a constructor taking a {@link dev.runbook.console.Terminal} gets it
     */
    List<Class<?>> commands();
}
