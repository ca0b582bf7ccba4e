package dev.runbook.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --log-dir DIR} option shared by every {@code runbook log} subcommand (a picocli mixin). */
public final class LogDirOption {

    @Option(
            names = "--log-dir",
            paramLabel = "DIR",
            description = "Directory of the incident logs (default: $RUNBOOK_LOG_DIR, else ./incidents).")
    Path logDir;

    /** The directory to use, per {@link LogDirs#resolve}. */
    public Path resolve(Map<String, String> env) {
        return LogDirs.resolve(logDir, env);
    }
}
