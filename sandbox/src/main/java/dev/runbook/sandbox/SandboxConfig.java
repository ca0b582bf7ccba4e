package dev.runbook.sandbox;

import dev.runbook.model.Inventory;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the sandbox listens and where it writes its keys, read from the inventory's
 * {@code sandbox} environment (runbooks/environments.yaml) so that the runbooks run
 * against it unchanged.
 *
 * @param apiPort the HTTP port of {@code env.api_url} (18080 in the library)
 * @param pgPort the PostgreSQL port of the environment's databases (15432)
 * @param databases the database names of the environment's JDBC URLs ({@code akig_db}, {@code crewsnow})
 * @param sshPort the port of the environment's SSH hosts (12222)
 * @param sshUser the user of those hosts ({@code runbook})
 * @param identityFile the client private key the hosts name ({@code .sandbox/id_ed25519}); the sandbox
 *     generates it (and its {@code .pub}) when missing
 * @param knownHosts the known_hosts file the hosts name ({@code .sandbox/known_hosts}); the sandbox
 *     writes its host key there
 * @param stateDir the directory of {@code state.json}, the host key and the logs: the parent of
 *     {@code knownHosts}
 */
public record SandboxConfig(
        int apiPort,
        int pgPort,
        List<String> databases,
        int sshPort,
        String sshUser,
        Path identityFile,
        Path knownHosts,
        Path stateDir) {

    /** The environment name the sandbox serves. */
    public static final String ENV = "sandbox";

    /**
     * Reads the sandbox's ports and files from an environment; everything must be on 127.0.0.1.
     *
     * @param env the inventory's {@code sandbox} environment
     * @return the configuration; relative paths stay relative to the working directory
     * @throws IllegalArgumentException when a URL, database or host is missing or not on 127.0.0.1
     */
    public static SandboxConfig from(Inventory.Environment env) {
        String api = env.vars().get("api_url");
        if (api == null) {
            throw new IllegalArgumentException("environment '" + env.name() + "' has no var api_url");
        }
        URI apiUri = URI.create(api);
        loopback(apiUri.getHost(), "api_url");
        int pgPort = -1;
        List<String> dbs = new ArrayList<>();
        for (Inventory.Database d : env.databases().values()) {
            URI u = URI.create(d.url().substring("jdbc:".length()));
            loopback(u.getHost(), "database " + d.name());
            if (pgPort >= 0 && u.getPort() != pgPort) {
                throw new IllegalArgumentException("the sandbox's databases must share one port: " + d.url());
            }
            pgPort = u.getPort();
            dbs.add(u.getPath().replaceFirst("^/", ""));
        }
        if (pgPort < 0) {
            throw new IllegalArgumentException("environment '" + env.name() + "' has no database");
        }
        Inventory.Host h = env.hosts().values().stream()
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("environment '" + env.name() + "' has no host"));
        for (Inventory.Host o : env.hosts().values()) {
            loopback(o.address(), "host " + o.name());
            if (o.port() == null || !o.port().equals(h.port())) {
                throw new IllegalArgumentException("the sandbox's hosts must share one port: host " + o.name());
            }
        }
        if (h.identityFile() == null || h.knownHosts() == null || h.user() == null) {
            throw new IllegalArgumentException("host " + h.name() + " needs user, identity_file and known_hosts");
        }
        Path kh = Path.of(h.knownHosts());
        Path stateDir = kh.getParent() == null ? Path.of(".") : kh.getParent();
        return new SandboxConfig(
                apiUri.getPort(),
                pgPort,
                List.copyOf(dbs),
                h.port(),
                h.user(),
                Path.of(h.identityFile()),
                kh,
                stateDir);
    }

    private static void loopback(String host, String what) {
        if (!"127.0.0.1".equals(host)) {
            throw new IllegalArgumentException("the sandbox serves 127.0.0.1 only; " + what + " is on " + host);
        }
    }

    /**
     * The port of the AKIG replica ({@code replica-failover}): the next one after {@link #pgPort()}
     * (the inventory's {@code akig_replica_port}).
     */
    public int replicaPort() {
        return pgPort + 1;
    }

    /**
     * A ready PostgreSQL cluster (initdb done, the databases' templates made), copied at each start
     * instead of running initdb and the scripts: {@code <stateDir>/pg-cache-<hash of the scripts>}.
     */
    public Path initdbCache() {
        return stateDir.resolve("pg-cache");
    }

    /** Where the sandbox writes its stand-in tools ({@link Tools}): {@code <stateDir>/bin}. */
    public Path binDir() {
        return stateDir.resolve("bin");
    }

    /**
     * A scratch directory for the files the runbooks' {@code shell} steps write during drills
     * (a drill's {@code inputs}, e.g. {@code repo_dir: .sandbox/work}): {@code <stateDir>/work}.
     */
    public Path workDir() {
        return stateDir.resolve("work");
    }

    /** The state file of a running {@code runbook sandbox}: {@code <stateDir>/state.json}. */
    public Path stateFile() {
        return stateDir.resolve("state.json");
    }
}
