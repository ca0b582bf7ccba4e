package dev.runbook.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox: a production-like stack on 127.0.0.1 that the runbooks of the {@code sandbox}
 * environment talk to — the application ({@link AppServer}), a real PostgreSQL
 * ({@link Database}), the SSH hosts ({@link SshEndpoint} with {@link CommandEmulator}) — and
 * the faults to inject in it ({@link Faults}) — and the stand-in tools of the {@code shell} steps
 * ({@link Tools}, shims in {@code <stateDir>/bin}). Start it with {@link #start}, stop it with
 * {@link #close()}. Logs (PostgreSQL's output) go to {@code <stateDir>/sandbox.log}.
 */
public final class Sandbox implements AutoCloseable {

    /** The AKIG database name. */
    public static final String AKIG_DB = "akig_db";
    /** The CrewSnow database name. */
    public static final String CREWSNOW_DB = "crewsnow";

    private final SandboxConfig config;
    private final Services services = new Services(Clock.systemUTC());
    private final Faults faults = new Faults();
    private final Instant startedAt = Instant.now();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final CommandEmulator emulator = new CommandEmulator(this);
    private Database database;
    private Database replica;
    private AppServer app;
    private SshEndpoint ssh;

    private Sandbox(SandboxConfig config) {
        this.config = config;
    }

    /**
     * Starts PostgreSQL (about 3 s the first time), the databases, the HTTP service and the SSH endpoint.
     *
     * @param config ports and files (from the {@code sandbox} environment)
     * @return the running sandbox
     * @throws IOException when a port is taken (for example by a sandbox already running) or a
     *     service does not start; what started is stopped again
     */
    public static Sandbox start(SandboxConfig config) throws IOException {
        for (int port : new int[] {config.apiPort(), config.pgPort(), config.replicaPort(), config.sshPort()}) {
            try {
                new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1")).close();
            } catch (IOException e) {
                throw new IOException("port 127.0.0.1:" + port + " is in use (a sandbox already running?"
                        + " see 'runbook sandbox status')");
            }
        }
        Files.createDirectories(config.stateDir());
        Tools.writeShims(config.binDir(), "http://127.0.0.1:" + config.apiPort() + "/__sandbox/");
        Files.createDirectories(config.workDir());
        Files.writeString(
                config.workDir().resolve(Tools.BACKUP_FILE),
                Tools.BACKUP_HEADER + "\n-- the databases as their scripts create them (pg_restore re-creates them)\n");
        Sandbox sb = new Sandbox(config);
        try {
            sb.database = new Database(
                    config.pgPort(),
                    config.databases(),
                    config.stateDir().resolve("sandbox.log"),
                    config.initdbCache());
            sb.database.start();
            sb.database.recreate();
            sb.database.keep();
            sb.app = new AppServer(sb, config.apiPort(), sb.stopRequested::countDown);
            sb.ssh = SshEndpoint.start(config, sb.emulator);
            return sb;
        } catch (IOException | SQLException | RuntimeException e) {
            sb.close();
            throw new IOException("the sandbox did not start: " + e.getMessage(), e);
        }
    }

    /** Its configuration. */
    public SandboxConfig config() {
        return config;
    }

    /** The emulated services' state. */
    public Services services() {
        return services;
    }

    /** The PostgreSQL server. */
    public Database database() {
        return database;
    }

    /** The command emulator of the SSH hosts and of the {@code kubectl} stand-in. */
    public CommandEmulator emulator() {
        return emulator;
    }

    /**
     * The AKIG replica on {@link SandboxConfig#replicaPort()}, started (with {@code akig_db}) the
     * first time it is needed.
     *
     * @throws IllegalStateException when it cannot start
     */
    public synchronized Database replica() {
        if (replica == null) {
            try {
                Database r = new Database(
                        config.replicaPort(),
                        List.of(AKIG_DB),
                        config.stateDir().resolve("sandbox.log"),
                        config.initdbCache());
                r.start();
                r.recreate();
                replica = r;
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("the replica did not start: " + e.getMessage(), e);
            }
        }
        return replica;
    }

    /**
     * A connection to {@code akig_db} where the backend's {@code DATABASE_URL} points: the
     * primary, the replica, or nowhere.
     *
     * @throws SQLException when that server does not answer (or the URL names none)
     */
    public Connection backendConnection() throws SQLException {
        return switch (services.backendDatabase()) {
            case PRIMARY -> database.connect(AKIG_DB);
            case REPLICA -> replica().connect(AKIG_DB);
            case UNREACHABLE -> throw new SQLException("DATABASE_URL names no database the backend can reach");
        };
    }

    /** The fault registry. */
    public Faults faults() {
        return faults;
    }

    /**
     * Injects a fault.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public void inject(String name) {
        Fault f = faults.get(name).orElseThrow(() -> new IllegalArgumentException("unknown fault '" + name + "'"));
        f.inject().accept(this);
        faults.markInjected(name);
    }

    /**
     * Clears a fault (repairs what it broke, whether or not a runbook already did).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public void clear(String name) {
        Fault f = faults.get(name).orElseThrow(() -> new IllegalArgumentException("unknown fault '" + name + "'"));
        f.clear().accept(this);
        faults.forget(name);
    }

    /** True while the fault is injected and its symptom observable. */
    public boolean active(String name) {
        return faults.injected().contains(name)
                && faults.get(name).map(f -> f.symptom().test(this)).orElse(false);
    }

    /** The injected faults whose symptom is still observable. */
    public List<String> activeFaults() {
        List<String> l = new ArrayList<>();
        for (String n : faults.injected()) {
            if (active(n)) {
                l.add(n);
            }
        }
        return l;
    }

    /**
     * Back to a healthy sandbox between drills: PostgreSQL started, databases re-created from
     * their scripts, services reset, every fault forgotten. Takes about a second.
     */
    public void reset() throws IOException, SQLException {
        database.start();
        database.recreate();
        synchronized (this) {
            if (replica != null) {
                replica.recreate();
            }
        }
        services.reset();
        faults.forgetAll();
    }

    /**
     * True when the service is healthy: {@code GET /api/health} answers 200 within 5 s,
     * PostgreSQL answers, and no injected fault's symptom is observable.
     */
    public boolean healthy() {
        return httpStatus("GET", "/api/health") == 200
                && backendDatabaseAnswers()
                && activeFaults().isEmpty();
    }

    /** True when the database the backend uses answers {@code SELECT 1}. */
    private boolean backendDatabaseAnswers() {
        try (Connection c = backendConnection();
                java.sql.Statement st = c.createStatement()) {
            return st.execute("SELECT 1");
        } catch (SQLException | IllegalStateException e) {
            return false;
        }
    }

    /**
     * The status of one request to the sandbox's own HTTP service, 5 s timeout.
     *
     * @return the status, or -1 when it did not answer
     */
    public int httpStatus(String method, String path) {
        return probe(method, path).status();
    }

    /**
     * One answer of the sandbox's HTTP service, as a client sees it.
     *
     * @param status the HTTP status; -1 when it did not answer
     * @param latencyMs time to the whole answer, in ms
     * @param body the body (UTF-8); empty when it did not answer
     */
    public record Answer(int status, long latencyMs, String body) {

        /** A top-level number of a JSON body, or -1 when absent or not JSON. */
        public long jsonNumber(String field) {
            try {
                com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(body)
                        .path(field);
                return n.isNumber() ? n.asLong() : -1;
            } catch (IOException e) {
                return -1;
            }
        }
    }

    /**
     * One request to the sandbox's public HTTP routes, as the faults' probes make it, 5 s timeout.
     *
     * @param method the HTTP method
     * @param path the path, from {@code /}
     * @return the answer; status -1 when it did not answer
     */
    public Answer probe(String method, String path) {
        long t0 = System.nanoTime();
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.apiPort() + path))
                    .timeout(Duration.ofSeconds(5))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), (System.nanoTime() - t0) / 1_000_000, r.body());
        } catch (IOException e) {
            return new Answer(-1, (System.nanoTime() - t0) / 1_000_000, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, (System.nanoTime() - t0) / 1_000_000, "");
        }
    }

    /**
     * What runs and which faults are injected, as served by {@code GET /__sandbox/status}:
     * {@code pid, started_at, api_port, pg_port, ssh_port, databases, backend, postgresql, faults:
     * [{name, runbook, description, active}]}.
     */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", ProcessHandle.current().pid());
        m.put("started_at", startedAt.toString());
        m.put("api_port", config.apiPort());
        m.put("pg_port", config.pgPort());
        m.put("ssh_port", config.sshPort());
        m.put("databases", config.databases());
        m.put("backend", services.backendOnline() ? "online" : "stopped");
        m.put("postgresql", database.running() ? "running" : "stopped");
        List<Map<String, Object>> fl = new ArrayList<>();
        for (String n : faults.injected()) {
            Fault f = faults.get(n).orElseThrow();
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", n);
            fm.put("runbook", f.runbook());
            fm.put("active", active(n));
            fm.put("description", f.description());
            fl.add(fm);
        }
        m.put("faults", fl);
        m.put("active_faults", activeFaults());
        m.put("healthy", healthy());
        return m;
    }

    /**
     * Waits until {@code POST /__sandbox/stop} is received.
     *
     * @param timeout at most this long
     * @return true when a stop was requested
     */
    public boolean awaitStopRequest(Duration timeout) throws InterruptedException {
        return stopRequested.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the SSH endpoint, the HTTP service and PostgreSQL (deleting its data). */
    @Override
    public void close() {
        if (ssh != null) {
            try {
                ssh.close();
            } catch (IOException ignored) {
                // stopping anyway
            }
        }
        if (app != null) {
            app.close();
        }
        if (database != null) {
            database.close();
        }
        if (replica != null) {
            replica.close();
        }
    }
}
