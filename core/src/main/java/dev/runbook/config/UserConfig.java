package dev.runbook.config;

import dev.runbook.load.InvalidException;
import dev.runbook.load.Node;
import dev.runbook.load.Problem;
import dev.runbook.load.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's own defaults (issue 12, item 9; docs/config.md): the file
 * {@code $XDG_CONFIG_HOME/runbook/config.yaml} (default {@code ~/.config/runbook/config.yaml}) and
 * the {@code RUNBOOK_*} environment variables. Precedence: the command-line flag, then the
 * environment variable, then the file, then the built-in default. Paths in the file may start
 * with {@code ~}; relative ones are relative to the file's directory.
 */
public final class UserConfig {

    /**
     * A setting: its key in the file, its environment variable, the flag it is the default of,
     * and its built-in default (null: none).
     */
    public enum Key {
        /** The runbook library directory ({@code --dir}). */
        LIBRARY("library", "RUNBOOK_LIBRARY", "--dir", "runbooks", true),
        /** The incident log directory ({@code --log-dir}). */
        LOG_DIR("log_dir", "RUNBOOK_LOG_DIR", "--log-dir", "incidents", true),
        /** The inventory file, which may declare the team store ({@code --inventory}). */
        INVENTORY("inventory", "RUNBOOK_INVENTORY", "--inventory", null, true),
        /** The default environment ({@code --env}). */
        ENV("env", "RUNBOOK_ENV", "--env", null, false),
        /** The operator's name ({@code --operator}); default the sudo caller, else the OS user. */
        OPERATOR("operator", "RUNBOOK_OPERATOR", "--operator", null, false);

        private final String file;
        private final String variable;
        private final String flag;
        private final String fallback;
        private final boolean path;

        Key(String file, String variable, String flag, String fallback, boolean path) {
            this.file = file;
            this.variable = variable;
            this.flag = flag;
            this.fallback = fallback;
            this.path = path;
        }

        /** Its key in config.yaml. */
        public String fileKey() {
            return file;
        }

        /** Its environment variable. */
        public String variable() {
            return variable;
        }

        /** The command-line flag it is the default of. */
        public String flag() {
            return flag;
        }

        /** The key whose flag is {@code flag}, if any. */
        public static Optional<Key> ofFlag(String flag) {
            for (Key k : values()) {
                if (k.flag.equals(flag)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /** Where a value came from. */
    public enum Source {
        /** A {@code RUNBOOK_*} environment variable. */
        ENVIRONMENT,
        /** The config file. */
        FILE,
        /** The calling user of {@code sudo} ({@code SUDO_USER}): the operator's default under sudo. */
        SUDO,
        /** The built-in default. */
        DEFAULT
    }

    /**
     * A resolved value.
     *
     * @param value the value; null when the setting has none
     * @param source where it came from
     * @param where the variable's name or the file's {@code path:line}, for {@code runbook config}
     */
    public record Value(String value, Source source, String where) {}

    private final Map<String, String> env;
    private final Path file;
    private final Map<Key, Value> fromFile;

    private UserConfig(Map<String, String> env, Path file, Map<Key, Value> fromFile) {
        this.env = env;
        this.file = file;
        this.fromFile = fromFile;
    }

    /**
     * Reads the config file, when there is one.
     *
     * @param env the process environment ({@code XDG_CONFIG_HOME}, {@code HOME}, {@code RUNBOOK_*},
     *     {@code SUDO_USER})
     * @throws InvalidException with {@code file:line:column: message} when the file is not YAML, is
     *     not a map, or has a key it does not know or a value that is not text
     */
    public static UserConfig load(Map<String, String> env) throws InvalidException {
        Path file = file(env);
        Map<Key, Value> values = new EnumMap<>(Key.class);
        if (Files.isRegularFile(file)) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidException(List.of(new Problem(
                        new dev.runbook.model.Position(file.toString(), 1, 1), "cannot read: " + e.getMessage())));
            }
            Node root = YamlReader.parse(file.toString(), text);
            if (root != null && !(root instanceof Node.MapNode)) {
                throw new InvalidException(
                        List.of(new Problem(root.position(), "the config is a map of settings: " + known())));
            }
            if (root instanceof Node.MapNode m) {
                for (Map.Entry<String, Node> e : m.entries().entrySet()) {
                    Key key = ofFileKey(e.getKey());
                    if (key == null) {
                        throw new InvalidException(List.of(new Problem(
                                m.keyPositions().get(e.getKey()),
                                "unknown setting '" + e.getKey() + "'; known: " + known())));
                    }
                    if (!(e.getValue() instanceof Node.Scalar s)
                            || s.text() == null
                            || s.text().isBlank()) {
                        throw new InvalidException(List.of(
                                new Problem(e.getValue().position(), "'" + e.getKey() + "' must be a non-empty text")));
                    }
                    String v = key.path ? path(file, s.text(), env).toString() : s.text();
                    values.put(
                            key,
                            new Value(v, Source.FILE, file + ":" + s.position().line()));
                }
            }
        }
        return new UserConfig(env, file, values);
    }

    /** {@code $XDG_CONFIG_HOME/runbook/config.yaml}, else {@code $HOME/.config/runbook/config.yaml}. */
    public static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home(env).resolve(".config");
        return base.resolve("runbook").resolve("config.yaml");
    }

    /** The config file this was read from (it may not exist). */
    public Path file() {
        return file;
    }

    /**
     * The value set by the environment or the file, without the built-in default.
     *
     * @return empty when neither sets it
     */
    public Optional<Value> configured(Key key) {
        String v = env.get(key.variable);
        if (v != null && !v.isBlank()) {
            return Optional.of(new Value(v, Source.ENVIRONMENT, key.variable));
        }
        return Optional.ofNullable(fromFile.get(key));
    }

    /** The value set by the environment or the file, else the built-in default (which may be null). */
    public Value resolved(Key key) {
        return configured(key).orElseGet(() -> {
            if (key == Key.OPERATOR) {
                String sudo = env.get("SUDO_USER");
                if (sudo != null && !sudo.isBlank()) {
                    return new Value(sudo, Source.SUDO, "SUDO_USER");
                }
                String user = System.getProperty("user.name");
                return new Value(user == null || user.isBlank() ? "unknown" : user, Source.DEFAULT, "the OS user");
            }
            return new Value(key.fallback, Source.DEFAULT, "built in");
        });
    }

    private static Key ofFileKey(String name) {
        for (Key k : Key.values()) {
            if (k.file.equals(name)) {
                return k;
            }
        }
        return null;
    }

    private static String known() {
        StringBuilder b = new StringBuilder();
        for (Key k : Key.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(k.file);
        }
        return b.toString();
    }

    private static Path path(Path file, String text, Map<String, String> env) {
        if (text.equals("~")) {
            return home(env);
        }
        if (text.startsWith("~/")) {
            return home(env).resolve(text.substring(2));
        }
        Path p = Path.of(text);
        return p.isAbsolute() ? p : file.toAbsolutePath().getParent().resolve(p).normalize();
    }

    private static Path home(Map<String, String> env) {
        String h = env.get("HOME");
        return Path.of(h != null && !h.isBlank() ? h : System.getProperty("user.home"));
    }
}
