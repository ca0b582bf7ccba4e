package dev.runbook.cli;

import java.nio.file.Path;
import java.util.Map;

/** Where incident logs live (contract, "The incident log"): {@code --log-dir}, else {@code $RUNBOOK_LOG_DIR}, else {@code ./incidents}. */
public final class LogDirs {

    private LogDirs() {
    }

    /**
     * @param explicit the {@code --log-dir} option, or null
     * @param env the process environment
     * @return the log directory (not created here)
     */
    public static Path resolve(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return explicit;
        }
        String fromEnv = env.get("RUNBOOK_LOG_DIR");
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : Path.of("incidents");
    }
}
