package dev.runbook.sandbox;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sandbox's real PostgreSQL (zonky's embedded binaries from Maven Central) on
 * 127.0.0.1, with the databases the runbooks query, created from the SQL resources
 * {@code akig.sql} (database {@code akig_db}) and {@code crewsnow.sql} (any other name).
 * The data directory is a temporary directory kept across {@link #stop()}/{@link #start()}
 * (the {@code db-down} fault and {@code systemctl restart postgresql}) and deleted by
 * {@link #close()}. Loopback clients are trusted (the inventory's {@code postgres}/{@code postgres}
 * works, as does any password). PostgreSQL refuses to run as root (see cli.Unshare).
 */
public final class Database implements AutoCloseable {

    private final int port;
    private final List<String> names;
    private final Path dataDir;
    private final Path logFile;
    private EmbeddedPostgres pg;
    /** The databases whose template ({@code NAME_template}, made once from the script) exists. */
    private final java.util.Set<String> templates = new java.util.HashSet<>();

    /**
     * A stopped cluster with the databases' templates already made from this version's scripts
     * (the directory's name ends with their hash), copied at a first start instead of running
     * initdb and the scripts again.
     */
    private final Path cache;

    /**
     * @param port the TCP port on 127.0.0.1
     * @param names the databases to create
     * @param logFile where PostgreSQL's output is appended
     * @param cache where to keep a copy of a ready cluster (its name gets the scripts' hash):
     *     made once by {@link #keep()}, then copied at every first start instead of running initdb
     *     and the scripts (about a second and a half less)
     */
    public Database(int port, List<String> names, Path logFile, Path cache) throws IOException {
        this.port = port;
        this.names = List.copyOf(names);
        this.dataDir = Files.createTempDirectory("runbook-sandbox-pg");
        this.logFile = logFile;
        this.cache = cache.resolveSibling(cache.getFileName() + "-" + SCRIPTS_HASH);
    }

    /** Starts the server (initdb on first start), waiting up to 30 s; no-op when running. */
    public synchronized void start() throws IOException {
        if (pg != null) {
            return;
        }
        boolean copied = false;
        if (!Files.exists(dataDir.resolve("postgresql.conf")) && Files.exists(cache.resolve("postgresql.conf"))) {
            copyTree(cache, dataDir);
            copied = true;
        }
        try {
            launch();
        } catch (IOException | RuntimeException e) {
            if (!copied) {
                throw e;
            }
            // a cache from other binaries or a damaged copy: forget it, initdb as the first time
            deleteTree(cache);
            deleteTree(dataDir);
            Files.createDirectories(dataDir);
            launch();
        }
    }

    private void launch() throws IOException {
        try {
            pg = embedded();
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("Missing embedded postgres binaries")) {
                throw new IOException(noBinaries(), e);
            }
            throw e;
        }
    }

    /**
     * The one-line reason when this jar holds no PostgreSQL for the running system (zonky picks
     * the binaries by {@code os.name} and {@code os.arch}).
     */
    static String noBinaries() {
        String built = "unknown";
        try (var in = Database.class.getResourceAsStream("/runbook-sandbox.properties")) {
            if (in != null) {
                var p = new java.util.Properties();
                p.load(in);
                built = p.getProperty("platform", built);
            }
        } catch (IOException ignored) {
            // the platform stays unknown
        }
        return "this runbook-sandbox has PostgreSQL binaries for " + built + " only, not for this system ("
                + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + "); build the sandbox on this machine (./mvnw -B package -DskipTests) or for it with"
                + " -Dsandbox.platform=linux-amd64|linux-arm64v8|darwin-amd64|darwin-arm64v8";
    }

    private EmbeddedPostgres embedded() throws IOException {
        ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(30))
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setDataDirectoryCustomizer(Database::writeHba)
                .start();
    }

    /**
     * Keeps a copy of this cluster, its templates made, for the next sandboxes (once per version
     * of the scripts): stops the server, copies its data directory, starts it again. A failure to
     * copy only means the next start runs initdb again.
     */
    public synchronized void keep() throws IOException {
        if (Files.exists(cache.resolve("postgresql.conf")) || pg == null) {
            return;
        }
        stop();
        Path tmp = cache.resolveSibling(cache.getFileName() + ".tmp");
        try {
            deleteTree(tmp);
            copyTree(dataDir, tmp);
            Files.move(tmp, cache, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteTree(tmp);
        }
        start();
    }

    /** The first 12 hex digits of the SHA-256 of both scripts: a cache of other scripts is not used. */
    private static final String SCRIPTS_HASH = scriptsHash();

    private static String scriptsHash() {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update(script("akig.sql").getBytes(StandardCharsets.UTF_8));
            d.update(script("crewsnow.sql").getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d.digest()).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a directory tree (owner-only directories, attributes kept), without the lock file. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (p.getFileName().toString().equals("epg-lock")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(
                            target, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                } else {
                    Files.copy(
                            p,
                            target,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Stops the server (fast shutdown); the data stay. No-op when stopped. */
    public synchronized void stop() {
        if (pg == null) {
            return;
        }
        boolean interrupted = Thread.interrupted(); // pg_ctl stop must run even after a stop signal
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            pg = null;
        }
    }

    /** True when the server was started and not stopped since. */
    public synchronized boolean running() {
        return pg != null;
    }

    /** The TCP port. */
    public int port() {
        return port;
    }

    /** The database names. */
    public List<String> names() {
        return names;
    }

    /**
     * Drops and re-creates every database from its SQL resource (disconnecting its clients).
     *
     * @throws SQLException when the server is down or a script fails
     */
    public void recreate() throws SQLException {
        for (String name : names) {
            recreate(name);
        }
    }

    /**
     * Drops and re-creates one database from its SQL resource (disconnecting its clients), as
     * {@code supabase db reset} re-applies the migrations. The script runs once, into the template
     * database {@code NAME_template}; every re-creation copies that template (much faster).
     *
     * @param name one of {@link #names()}
     * @throws IllegalArgumentException for another name
     * @throws SQLException when the server is down or the script fails
     */
    public synchronized void recreate(String name) throws SQLException {
        if (!names.contains(name)) {
            throw new IllegalArgumentException(
                    "unknown database '" + name + "' (known: " + String.join(", ", names) + ")");
        }
        String template = name + "_template";
        try (Connection c = connect("postgres");
                Statement st = c.createStatement()) {
            if (!templates.contains(name) && !exists(st, template)) {
                st.execute("DROP DATABASE IF EXISTS \"" + template + "\" WITH (FORCE)");
                st.execute("CREATE DATABASE \"" + template + "\"");
                String script = script(name.equals("akig_db") ? "akig.sql" : "crewsnow.sql");
                try (Connection t = connect(template);
                        Statement ts = t.createStatement()) {
                    ts.execute(script);
                }
                templates.add(name);
            }
            st.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            st.execute("CREATE DATABASE \"" + name + "\" TEMPLATE \"" + template + "\"");
        }
    }

    private static boolean exists(Statement st, String database) throws SQLException {
        try (java.sql.ResultSet rs =
                st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'")) {
            return rs.next();
        }
    }

    /**
     * A connection as {@code postgres}, 3 s to connect, 10 s per statement.
     *
     * @param database the database name
     */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + database
                        + "?connectTimeout=3&loginTimeout=3&socketTimeout=10",
                "postgres",
                "postgres");
    }

    /** True when {@code SELECT 1} answers within 3 s. */
    public boolean reachable() {
        try (Connection c = connect("postgres");
                Statement st = c.createStatement()) {
            return st.execute("SELECT 1");
        } catch (SQLException e) {
            return false;
        }
    }

    private static String script(String resource) {
        try (InputStream in = Database.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeHba(File dir) {
        String hba = String.join("\n", "local all all trust", "host all all 127.0.0.1/32 trust", "");
        try {
            Files.writeString(dir.toPath().resolve("pg_hba.conf"), hba, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            deleteTree(dataDir);
        }
    }
}
