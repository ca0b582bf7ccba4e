package dev.runbook.cli;

import dev.runbook.config.UserConfig;
import dev.runbook.load.InvalidException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of {@code --dir}, {@code --inventory}, {@code --env} and {@code --operator} from
 * the operator's {@link UserConfig} (a picocli default value provider): a flag given on the
 * command line wins, then the {@code RUNBOOK_*} variable, then the config file, then the built-in
 * default. {@code --env} is only the default of {@code run} and {@code show} (elsewhere it means
 * the incident's environment); {@code sandbox} and {@code drill} keep the library's own inventory.
 * The log directory is resolved by {@link LogDirs}, which drills extend with {@code drills/}.
 * The file is read on the first option that needs it, so {@code --version} never reads it.
 */
final class ConfiguredDefaults implements CommandLine.IDefaultValueProvider {

    private static final Set<String> ENV_COMMANDS = Set.of("run", "show");
    private static final Set<String> OWN_INVENTORY = Set.of("sandbox", "drill");

    private final Map<String, String> env;
    private UserConfig config;

    /** @param env the process environment */
    ConfiguredDefaults(Map<String, String> env) {
        this.env = env;
    }

    /**
     * The operator's config.
     *
     * @throws ExitException 2 naming the file, line and column when the config file is invalid
     */
    synchronized UserConfig config() {
        if (config == null) {
            config = load(env);
        }
        return config;
    }

    /**
     * The operator's config as this invocation's command line read it (its default value
     * provider), so that a command reading it again does not read the file twice.
     *
     * @param spec the running command's spec
     * @return the config
     * @throws ExitException 2 naming the file, line and column when the config file is invalid
     */
    static UserConfig of(CommandLine.Model.CommandSpec spec) {
        return ((ConfiguredDefaults) spec.root().defaultValueProvider()).config();
    }

    /**
     * Reads the operator's config.
     *
     * @throws ExitException 2 naming the file, line and column when the config file is invalid
     */
    static UserConfig load(Map<String, String> env) {
        try {
            return UserConfig.load(env);
        } catch (InvalidException e) {
            throw new ExitException(
                    ExitCodes.USAGE, "invalid config " + e.problems().get(0) + " (see 'runbook config')", e);
        }
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o)) {
            return null;
        }
        Optional<UserConfig.Key> key = UserConfig.Key.ofFlag(o.longestName());
        if (key.isEmpty()) {
            return null;
        }
        String command = o.command() == null ? "" : o.command().name();
        switch (key.get()) {
            case LOG_DIR:
                return null;
            case ENV:
                if (!ENV_COMMANDS.contains(command)) {
                    return null;
                }
                break;
            case INVENTORY:
                if (OWN_INVENTORY.contains(command)) {
                    return null;
                }
                break;
            default:
                break;
        }
        if (key.get() == UserConfig.Key.OPERATOR) {
            // never null: the flag, RUNBOOK_OPERATOR, the file, SUDO_USER, then the OS user
            return config().resolved(UserConfig.Key.OPERATOR).value();
        }
        return config().configured(key.get()).map(UserConfig.Value::value).orElse(null);
    }
}
