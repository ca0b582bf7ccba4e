package dev.runbook.load;

import dev.runbook.model.Inventory;
import dev.runbook.model.StoreRef;
import dev.runbook.postgres.Libpq;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code environments.yaml} strictly (contract, "Environments (inventory)"), with
 * the project's extensions {@code groups: {name: [hosts]}} and {@code shell_path: [dirs]}, and the host fields of the SSH
 * issue ({@code passphrase}, {@code password}, {@code known_hosts}, {@code jump}).
 */
public final class InventoryLoader {

    private InventoryLoader() {}

    /**
     * Finds the inventory for a runbook: {@code --inventory} when given, else
     * {@code environments.yaml} beside the runbook, else in the library's root.
     *
     * @param explicit the {@code --inventory} file, or null
     * @param runbookFile the runbook's file
     * @param libraryRoot the library directory ({@code --dir})
     * @return the file, when one exists
     */
    public static Optional<Path> find(Path explicit, Path runbookFile, Path libraryRoot) {
        if (explicit != null) {
            return Optional.of(explicit);
        }
        Path dir = runbookFile.toAbsolutePath().getParent();
        Path beside = dir == null ? null : dir.resolve(Library.INVENTORY);
        if (beside != null && Files.isRegularFile(beside)) {
            return Optional.of(beside);
        }
        Path root = libraryRoot.resolve(Library.INVENTORY);
        return Files.isRegularFile(root) ? Optional.of(root) : Optional.empty();
    }

    /**
     * Loads an inventory.
     *
     * @param file the inventory file
     * @param env the invocation's environment: libpq's {@code PGSSLMODE} and {@code PGHOST} count
     *     in the check of a database's server verification ({@link Libpq#unverifiedServer})
     * @return the inventory, with its warnings
     * @throws InvalidException with every problem (unknown keys, a group naming an unknown host…)
     * @throws IOException when the file cannot be read
     */
    public static Inventory load(Path file, Map<String, String> env) throws IOException, InvalidException {
        String name = file.toString();
        Node root = YamlReader.parse(name, SourceFile.read(file).text());
        List<Problem> problems = new ArrayList<>();
        List<Problem> warnings = new ArrayList<>();
        Fields top = new Fields(root, "inventory", Shapes.INVENTORY, problems);
        Map<String, Inventory.Environment> envs = new LinkedHashMap<>();
        Node envNode = top.node("environments");
        if (envNode instanceof Node.MapNode m) {
            m.entries().forEach((envName, n) -> envs.put(envName, environment(envName, n, env, problems, warnings)));
        } else if (envNode != null) { // its absence is reported by Fields: a required key
            problems.add(new Problem(
                    envNode.position(), "inventory needs 'environments': a map of environment name to definition"));
        }
        StoreRef store = top.node("store") == null ? null : store(top.node("store"), env, problems, warnings);
        if (!problems.isEmpty()) {
            throw new InvalidException(problems);
        }
        return new Inventory(
                name, envs, store, warnings.stream().map(Problem::toString).toList());
    }

    /**
     * {@code store: {url, user, password}} (docs/team.md): a URL in a form of a database's
     * ({@link Libpq}), the password as {@code ${secrets.NAME}}; a server that is not verified is a
     * warning, as for a database.
     */
    private static StoreRef store(Node n, Map<String, String> env, List<Problem> problems, List<Problem> warnings) {
        Fields f = new Fields(n, "store", Shapes.DATABASE, problems);
        String url = f.string("url");
        if (url != null) {
            checkUrl(f.node("url"), url, "store", false, env, problems, warnings);
        }
        String password = f.string("password");
        if (password != null && !password.matches("\\$\\{secrets\\.[A-Za-z_][A-Za-z0-9_]*}")) {
            problems.add(new Problem(
                    f.node("password").position(),
                    "store: password must be ${secrets.NAME} (read from the environment variable NAME), or left out"
                            + " to use PGPASSWORD or ~/.pgpass: a password is never written in the inventory"));
        }
        return new StoreRef(url, f.string("user"), password);
    }

    /**
     * A database URL's form ({@link Libpq#formProblem}: a problem) and whether its server is
     * verified ({@link Libpq#unverifiedServer}): libpq's and the driver's default ({@code prefer})
     * encrypts without checking the server, so that is refused where a mistake is costly (a
     * protected environment) and a warning everywhere else.
     *
     * @param what the URL's owner for the message ({@code store}, {@code database 'x' of …})
     */
    private static void checkUrl(
            Node node,
            String url,
            String what,
            boolean required,
            Map<String, String> env,
            List<Problem> problems,
            List<Problem> warnings) {
        String at = what + ": url '" + dev.runbook.model.JdbcUrls.redact(url) + "': ";
        String form = Libpq.formProblem(url);
        if (form != null) {
            problems.add(new Problem(node.position(), at + form));
            return;
        }
        String unverified = Libpq.unverifiedServer(url, env);
        if (unverified != null) {
            (required ? problems : warnings)
                    .add(new Problem(
                            node.position(),
                            at + unverified + (required ? " (required: the environment is protected)" : "")));
        }
    }

    private static Inventory.Environment environment(
            String envName, Node n, Map<String, String> env, List<Problem> problems, List<Problem> warnings) {
        String what = "environment '" + envName + "'";
        Fields f = new Fields(n, what, Shapes.ENVIRONMENT, problems);
        boolean isProtected = f.bool("protected", false);
        Map<String, Inventory.Database> dbs = new LinkedHashMap<>();
        entries(f, "databases", problems).forEach((k, v) -> {
            Fields d = new Fields(v, "database '" + k + "' of " + what, Shapes.DATABASE, problems);
            String url = d.string("url");
            if (url != null && !url.contains("${")) {
                checkUrl(d.node("url"), url, "database '" + k + "' of " + what, isProtected, env, problems, warnings);
            }
            dbs.put(k, new Inventory.Database(k, d.string("url"), d.string("user"), d.string("password")));
        });
        Map<String, Inventory.Host> hosts = new LinkedHashMap<>();
        entries(f, "hosts", problems).forEach((k, v) -> {
            Fields h = new Fields(v, "host '" + k + "' of " + what, Shapes.HOST, problems);
            hosts.put(
                    k,
                    new Inventory.Host(
                            k,
                            h.string("address"),
                            h.integer("port"),
                            h.string("user"),
                            h.string("identity_file"),
                            h.string("passphrase"),
                            h.string("password"),
                            h.string("known_hosts"),
                            h.string("jump")));
        });
        hosts.values().stream()
                .filter(h -> h.port() != null && (h.port() < 1 || h.port() > 65535))
                .forEach(h -> problems.add(new Problem(
                        n.position(),
                        "host '" + h.name() + "' of " + what + ": port " + h.port() + " is not between 1 and 65535")));
        Map<String, List<String>> groups = new LinkedHashMap<>();
        Node gn = f.node("groups");
        if (gn != null) {
            Fields g = Fields.named(gn, "groups of " + what, problems);
            if (gn instanceof Node.MapNode gm) {
                gm.entries().keySet().forEach(k -> {
                    List<String> members = g.strings(k, false);
                    members.stream()
                            .filter(h -> !hosts.containsKey(h))
                            .forEach(h -> problems.add(new Problem(
                                    gm.entries().get(k).position(),
                                    "group '" + k + "' of " + what + " names unknown host '" + h + "'")));
                    if (hosts.containsKey(k)) {
                        problems.add(new Problem(
                                gm.keyPositions().get(k), "group '" + k + "' of " + what + " has the name of a host"));
                    }
                    groups.put(k, members);
                });
            }
        }
        hosts.values().stream()
                .filter(h -> h.jump() != null && !hosts.containsKey(h.jump()))
                .forEach(h -> problems.add(new Problem(
                        f.position(),
                        "host '" + h.name() + "' of " + what + " jumps through unknown host '" + h.jump() + "'")));
        List<String> shellPath = f.strings("shell_path", false);
        shellPath.stream()
                .filter(d -> d.isBlank() || d.contains(":"))
                .forEach(d -> problems.add(new Problem(
                        f.node("shell_path").position(),
                        "shell_path of " + what + ": '" + d + "' must be a directory (not empty, no ':')")));
        Map<String, dev.runbook.model.Channel> channels = new LinkedHashMap<>();
        entries(f, "channels", problems).forEach((k, v) -> {
            Fields c = new Fields(v, "channel '" + k + "' of " + what, Shapes.CHANNEL, problems);
            String webhook = c.string("webhook");
            String format = c.string("format");
            var fmt = format == null
                    ? java.util.Optional.of(dev.runbook.model.Channel.Format.SLACK)
                    : dev.runbook.model.Channel.Format.of(format);
            if (fmt.isEmpty()) {
                problems.add(new Problem(
                        c.node("format").position(),
                        "channel '" + k + "' of " + what + ": format must be slack or json, not '" + format + "'"));
            }
            java.time.Duration timeout = c.duration("timeout");
            if (webhook != null) {
                channels.put(
                        k,
                        new dev.runbook.model.Channel(
                                k,
                                webhook,
                                fmt.orElse(dev.runbook.model.Channel.Format.SLACK),
                                timeout == null ? dev.runbook.model.Channel.DEFAULT_TIMEOUT : timeout));
            }
        });
        return new Inventory.Environment(
                envName, isProtected, f.stringMap("vars"), dbs, hosts, groups, List.copyOf(shellPath), channels);
    }

    private static Map<String, Node> entries(Fields f, String key, List<Problem> problems) {
        Node n = f.node(key);
        if (n == null) {
            return Map.of();
        }
        if (n instanceof Node.MapNode m) {
            return m.entries();
        }
        problems.add(new Problem(n.position(), "'" + key + "' must be a map, not " + n.kind()));
        return Map.of();
    }
}
