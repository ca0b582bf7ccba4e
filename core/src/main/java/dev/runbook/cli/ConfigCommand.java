package dev.runbook.cli;

import dev.runbook.config.UserConfig;
import dev.runbook.console.Terminal;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code runbook config}: the operator's defaults, each with where it comes from (docs/config.md). */
@Command(
        name = "config",
        header = "Show the defaults in effect and where each comes from.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Library directory, log directory, inventory (which may declare the team store), default",
            "environment and operator name. Each comes from the command-line flag, else its RUNBOOK_*",
            "environment variable, else the config file, else the built-in default:",
            "",
            "  # $XDG_CONFIG_HOME/runbook/config.yaml (default ~/.config/runbook/config.yaml)",
            "  library: ~/src/ops/runbooks          # --dir        RUNBOOK_LIBRARY",
            "  log_dir: ~/incidents                 # --log-dir    RUNBOOK_LOG_DIR",
            "  inventory: ~/src/ops/runbooks/environments.yaml   # --inventory  RUNBOOK_INVENTORY",
            "  env: staging                         # --env (run, show)  RUNBOOK_ENV",
            "  operator: alice                      # --operator   RUNBOOK_OPERATOR",
            "",
            "Relative paths in the file are relative to its directory. Under sudo the operator",
            "defaults to the calling user (SUDO_USER), not root."
        },
        footer = {"", "Examples:", "  runbook config", "  RUNBOOK_ENV=prod runbook config"})
public final class ConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    /** @param terminal where the table is printed; its environment is read */
    public ConfigCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        UserConfig config = ConfiguredDefaults.of(spec);
        PrintWriter out = terminal.out();
        out.println("config file: " + config.file() + (Files.isRegularFile(config.file()) ? "" : " (none)"));
        for (UserConfig.Key key : UserConfig.Key.values()) {
            UserConfig.Value v = config.resolved(key);
            String value = v.value() != null ? v.value() : none(key);
            out.printf("%-10s %-40s %s (%s)%n", key.fileKey(), value, source(v), key.flag() + " wins");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String none(UserConfig.Key key) {
        return key == UserConfig.Key.INVENTORY
                ? "(environments.yaml beside the runbook, else in the library)"
                : "(none)";
    }

    private static String source(UserConfig.Value v) {
        return switch (v.source()) {
            case ENVIRONMENT -> "from $" + v.where();
            case FILE -> "from " + v.where();
            case SUDO -> "from $" + v.where() + " (run under sudo)";
            case DEFAULT -> "default: " + v.where();
        };
    }
}
