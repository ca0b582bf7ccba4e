package dev.runbook.cli;

import java.nio.file.Path;
import java.util.Map;

/** Where incident logs live (contract, "The incident log"): {@code --log-dir}, else {@code $RUNBOOK_LOG_DIR}, else {@code ./incidents}. */
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
        return v != null && !v.isBlank() ? Path.of(v) : DEFAULT;
    }
}
