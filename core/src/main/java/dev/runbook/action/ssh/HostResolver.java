package dev.runbook.action.ssh;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.OpenSSHConfig;
import dev.runbook.model.Inventory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

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
 *
 * <p>Beyond what JSch reads, as ssh_config(5) says: {@code Include} (globs, relative paths under
 * {@code ~/.ssh}, nested up to 16 deep, conditional inside a {@code Host} block),
 * {@code ProxyJump} ({@code [user@]host[:port]}, comma-separated chains, {@code none}; each hop
 * resolved through the config too), {@code UserKnownHostsFile}, {@code HostKeyAlias},
 * {@code IdentitiesOnly}, {@code ConnectTimeout} and {@code IdentityAgent} ({@code none},
 * {@code SSH_AUTH_SOCK} or a socket path; default: the {@code SSH_AUTH_SOCK} given).
 */
public final class HostResolver {

    private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    /** OpenSSH's limit on nested {@code Include}s (readconf.c, READCONF_MAX_DEPTH). */
    static final int MAX_INCLUDE_DEPTH = 16;
    /** How many ProxyJump hops, counting nested ones, before the chain is called a loop. */
    static final int MAX_HOPS = 8;

    private final Path home;
    private final ConfigRepository config;
    private final Path agentSocket;

    /**
     * A resolver that uses no ssh-agent unless the config's {@code IdentityAgent} names one.
     *
     * @param home the directory {@code ~} stands for
     * @param sshConfig the OpenSSH client config to read; a missing file means no config
     * @throws UncheckedIOException when the config or a file it includes cannot be read
     */
    public HostResolver(Path home, Path sshConfig) {
        this(home, sshConfig, null);
    }

    /**
     * @param home the directory {@code ~} stands for
     * @param sshConfig the OpenSSH client config to read; a missing file means no config
     * @param agentSocket {@code SSH_AUTH_SOCK}: the ssh-agent's socket; null for none
     * @throws UncheckedIOException when the config or a file it includes cannot be read
     */
    public HostResolver(Path home, Path sshConfig, Path agentSocket) {
        this.home = home;
        this.agentSocket = agentSocket;
        ConfigRepository c = ConfigRepository.nullConfig;
        if (sshConfig != null && Files.isRegularFile(sshConfig)) {
            try {
                StringBuilder text = new StringBuilder();
                inline(sshConfig, 0, text, new int[1]);
                c = OpenSSHConfig.parse(text.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read ssh config " + sshConfig + ": " + e.getMessage(), e);
            }
        }
        this.config = c;
    }

    /**
     * Appends a config file with its {@code Include}s in place. After an included file, the
     * block the {@code Include} stood in is opened again ({@code Host *} at the top level), so the
     * lines after it keep their meaning.
     */
    private void inline(Path file, int depth, StringBuilder out, int[] sections) throws IOException {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new IOException("Include nested more than " + MAX_INCLUDE_DEPTH + " deep at " + file);
        }
        String block = "Host *";
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] words = line.strip().split("[\\s=]+", 2);
            String key = words[0].toLowerCase(Locale.ROOT);
            if (key.equals("host") || key.equals("match")) {
                block = line.strip();
                out.append(header(block, sections)).append('\n');
                continue;
            }
            if (!key.equals("include") || words.length < 2) {
                out.append(line).append('\n');
                continue;
            }
            for (String pattern : words[1].strip().split("\\s+")) {
                for (Path included : glob(pattern)) {
                    inline(included, depth + 1, out, sections);
                    out.append(header(block, sections)).append('\n');
                }
            }
        }
    }

    /**
     * A {@code Host} line made unique with a negated pattern no host has: JSch keeps one section
     * per distinct header text, so two blocks for the same host (legal for OpenSSH, and how an
     * {@code Include} inside a block is reopened) would otherwise replace each other.
     */
    private static String header(String line, int[] sections) {
        boolean host =
                line.regionMatches(true, 0, "host", 0, 4) && line.length() > 4 && !Character.isLetter(line.charAt(4));
        return host ? line + " !runbook.section." + ++sections[0] : line; // Match lines: JSch ignores them
    }

    /** The files an {@code Include} pattern names, in lexical order (relative: under ~/.ssh). */
    private List<Path> glob(String pattern) throws IOException {
        Path p = expand(pattern);
        if (!p.isAbsolute()) {
            p = home.resolve(".ssh").resolve(p);
        }
        Path dir = p.getParent();
        String name = p.getFileName().toString();
        if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
            return Files.isRegularFile(p) ? List.of(p) : List.of(); // ssh(1) skips a missing file
        }
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        PathMatcher m = dir.getFileSystem().getPathMatcher("glob:" + name);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> m.matches(f.getFileName()) && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        }
    }

    /** The directory {@code ~} stands for. */
    public Path home() {
        return home;
    }

    /**
     * The host with the ssh config and defaults applied.
     *
     * @throws IllegalArgumentException when its ProxyJump chain loops or is malformed
     */
    public SshHost resolve(Inventory.Host host) {
        return resolve(host, 0);
    }

    private SshHost resolve(Inventory.Host host, int depth) {
        if (depth > MAX_HOPS) {
            throw new IllegalArgumentException(
                    host.name() + ": ProxyJump chain longer than " + MAX_HOPS + " hops, or looping, in the ssh config");
        }
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
        List<SshHost> hops =
                host.jump() != null ? List.of() : proxyJump(c == null ? null : c.getValue("ProxyJump"), depth);
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
                blank(alias) ? null : alias.trim(),
                hops,
                "yes".equalsIgnoreCase(value(c, "IdentitiesOnly")),
                connectTimeout(host.name(), value(c, "ConnectTimeout")),
                agent(value(c, "IdentityAgent")));
    }

    private static String value(ConfigRepository.Config c, String key) {
        String v = c == null ? null : c.getValue(key);
        return blank(v) ? null : v.trim();
    }

    /**
     * ssh_config(5) ConnectTimeout, in ms: JSch's {@code OpenSSHConfig} already turns the file's
     * seconds into ms. Null when not set.
     */
    private static Integer connectTimeout(String host, String ms) {
        if (ms == null) {
            return null;
        }
        try {
            return Integer.parseInt(ms);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(host + ": ConnectTimeout in the ssh config is not a number of seconds");
        }
    }

    /** ssh_config(5) IdentityAgent: none, SSH_AUTH_SOCK, or a socket path; unset: SSH_AUTH_SOCK. */
    private Path agent(String identityAgent) {
        if (identityAgent == null || identityAgent.equals("SSH_AUTH_SOCK")) {
            return agentSocket;
        }
        if (identityAgent.equalsIgnoreCase("none")) {
            return null;
        }
        return expand(identityAgent);
    }

    /**
     * ssh_config(5) ProxyJump: {@code none}, or hops {@code [user@]host[:port]} separated by
     * commas, each resolved through the config like a host of its own.
     */
    private List<SshHost> proxyJump(String value, int depth) {
        if (value == null || value.equalsIgnoreCase("none")) {
            return List.of();
        }
        List<SshHost> hops = new ArrayList<>();
        for (String hop : value.split(",")) {
            String h = hop.strip();
            if (h.startsWith("ssh://")) {
                h = h.substring("ssh://".length());
            }
            String user = null;
            int at = h.lastIndexOf('@');
            if (at >= 0) {
                user = h.substring(0, at);
                h = h.substring(at + 1);
            }
            Integer port = null;
            int colon = h.lastIndexOf(':');
            if (colon >= 0 && h.indexOf(':') == colon) { // host:port; a bare IPv6 address has several colons
                try {
                    port = Integer.parseInt(h.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("ProxyJump hop '" + hop.strip() + "' has no valid port");
                }
                h = h.substring(0, colon);
            }
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            if (h.isEmpty()) {
                throw new IllegalArgumentException("ProxyJump '" + value + "' has an empty hop");
            }
            SshHost resolved =
                    resolve(new Inventory.Host(h, null, port, user, null, null, null, null, null), depth + 1);
            hops.add(hops.isEmpty() ? resolved : resolved.withoutProxyJump());
        }
        return List.copyOf(hops);
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
