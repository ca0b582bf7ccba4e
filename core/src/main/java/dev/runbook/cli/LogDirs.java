package dev.runbook.cli;

import dev.runbook.config.UserConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where incident logs live (contract, "The incident log"): {@code --log-dir}, else
 * {@code $RUNBOOK_LOG_DIR}, else {@code log_dir} of the operator's config file
 * ({@link UserConfig}), else {@code ./incidents}.
 */
public final class LogDirs {

    /** The environment variable that names the log directory. */
    public static final String ENV = "RUNBOOK_LOG_DIR";
    /** The default, relative to the working directory. */
    public static final Path DEFAULT = Path.of("incidents");

    private LogDirs() {}

    /**
     * Resolves the log directory.
     *
     * @param explicit the {@code --log-dir} value, or null
     * @param env the process environment (the Terminal's)
     * @return the directory; not checked for existence
     */
    public static Path resolve(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return explicit;
        }
        String v = env == null ? null : env.get(ENV);
        if (v != null && !v.isBlank()) {
            return Path.of(v);
        }
        if (env == null) {
            return DEFAULT;
        }
        return ConfiguredDefaults.load(env)
                .configured(UserConfig.Key.LOG_DIR)
                .map(c -> Path.of(c.value()))
                .orElse(DEFAULT);
    }
}
