package dev.runbook.action.ssh;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.OpenSSHConfig;
import dev.runbook.model.Inventory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns inventory host entries into {@link SshHost}s: the inventory's fields win, then
 * {@code ~/.ssh/config} ({@code HostName}, {@code User}, {@code Port}, {@code IdentityFile},
 * read with JSch's {@link OpenSSHConfig}), then OpenSSH's defaults (port 22, the local user,
 * {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} when they exist,
 * {@code ~/.ssh/known_hosts}).
 *
 * <p>The ssh config is looked up under the host's {@code address} when the inventory gives
 * one, else under its inventory name, the way {@code ssh ADDRESS} would. {@code ~} at the
 * start of a path is the injected home directory, never the real one in tests.
 */
public final class HostResolver {

    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private final Path home;
    private final ConfigRepository config;

    /**
     * @param home the directory {@code ~} stands for
     * @param sshConfig the OpenSSH client config to read; a missing file means no config
     * @throws UncheckedIOException when the config exists but cannot be read
     */
    public HostResolver(Path home, Path sshConfig) {
        this.home = home;
        ConfigRepository c = ConfigRepository.nullConfig;
        if (sshConfig != null && Files.isRegularFile(sshConfig)) {
            try {
                c = OpenSSHConfig.parseFile(sshConfig.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read ssh config " + sshConfig + ": " + e.getMessage(), e);
            }
        }
        this.config = c;
    }

    /** The directory {@code ~} stands for. */
    public Path home() {
        return home;
    }

    /** The host with the ssh config and defaults applied. */
    public SshHost resolve(Inventory.Host host) {
        String lookup = host.address() != null ? host.address() : host.name();
        ConfigRepository.Config c = config.getConfig(lookup);
        String address = c == null || blank(c.getHostname()) ? lookup : c.getHostname();
        int port = host.port() != null ? host.port() : c != null && c.getPort() > 0 ? c.getPort() : 22;
        String user = host.user() != null
                ? host.user()
                : c != null && !blank(c.getUser()) ? c.getUser() : System.getProperty("user.name");
        List<Path> keys = new ArrayList<>();
        if (host.identityFile() != null) {
            keys.add(expand(host.identityFile()));
        } else {
            String[] fromConfig = c == null ? null : c.getValues("IdentityFile");
            if (fromConfig != null && fromConfig.length > 0) {
                for (String f : fromConfig) {
                    keys.add(expand(f));
                }
            } else {
                DEFAULT_KEYS.forEach(k -> keys.add(home.resolve(".ssh").resolve(k)));
                keys.removeIf(p -> !Files.isRegularFile(p));
            }
        }
        String userKnownHosts = c == null ? null : c.getValue("UserKnownHostsFile");
        Path knownHosts = host.knownHosts() != null
                ? expand(host.knownHosts())
                : !blank(userKnownHosts)
                        ? expand(userKnownHosts.trim().split("\\s+")[0])
                        : home.resolve(".ssh").resolve("known_hosts");
        String alias = c == null ? null : c.getValue("HostKeyAlias");
        return new SshHost(
                host.name(),
                address,
                port,
                user,
                List.copyOf(keys),
                host.passphrase(),
                host.password(),
                knownHosts,
                host.jump(),
                blank(alias) ? null : alias.trim());
    }

    /** The path with a leading {@code ~} or {@code ~/} replaced by the home directory. */
    public Path expand(String path) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2));
        }
        return Path.of(path);
    }

    /**
     * Expands host and group names of an {@code ssh} step into host names, in the order
     * written, each host once.
     *
     * @param names host or group names ({@code hosts:} of the step)
     * @param env the environment; may be null (then every name is unknown)
     * @return host names
     * @throws IllegalArgumentException with a one-line message listing the known hosts and
     *     groups, when a name is neither
     */
    public static List<String> expandNames(List<String> names, Inventory.Environment env) {
        Inventory.HostNames expanded =
                env == null ? new Inventory.HostNames(List.of(), List.copyOf(names)) : env.expand(names);
        if (!expanded.unknown().isEmpty()) {
            String where = env == null ? "no environment is selected" : "environment '" + env.name() + "'";
            throw new IllegalArgumentException("unknown host or group "
                    + String.join(", ", quote(expanded.unknown())) + " in " + where + "; known hosts: "
                    + list(env == null ? Set.of() : env.hosts().keySet()) + "; known groups: "
                    + list(env == null ? Set.of() : env.groups().keySet()));
        }
        return expanded.hosts();
    }

    private static List<String> quote(List<String> names) {
        List<String> q = new ArrayList<>();
        names.forEach(n -> q.add("'" + n + "'"));
        return q;
    }

    private static String list(Set<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
