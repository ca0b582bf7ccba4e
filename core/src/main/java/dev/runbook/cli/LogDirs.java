package dev.runbook.cli;

import dev.runbook.config.UserConfig;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where incident logs live (contract, "The incident log"): {@code --log-dir}, else
 * {@code $RUNBOOK_LOG_DIR}, else {@code log_dir} of the operator's config file
 * ({@link UserConfig}), else {@code ./incidents}.
 */
public final class LogDirs {

    private LogDirs() {}

    /**
     * Resolves the log directory from the config this invocation's command line already read
     * ({@link ConfiguredDefaults#of}): the file is not read again.
     *
     * @param explicit the {@code --log-dir} value, or null
     * @param spec the running command's spec (any command of the {@link Cli} tree)
     * @return the directory; not checked for existence
     * @throws ExitException 2 when the config file is invalid
     */
    public static Path resolve(Path explicit, CommandSpec spec) {
        return explicit != null ? explicit : resolve(explicit, ConfiguredDefaults.of(spec));
    }

    /**
     * Resolves the log directory.
     *
     * @param explicit the {@code --log-dir} value, or null
     * @param config the operator's config ({@code RUNBOOK_LOG_DIR}, then {@code log_dir})
     * @return the directory; not checked for existence
     */
    static Path resolve(Path explicit, UserConfig config) {
        return explicit != null
                ? explicit
                : Path.of(config.resolved(UserConfig.Key.LOG_DIR).value());
    }
}
