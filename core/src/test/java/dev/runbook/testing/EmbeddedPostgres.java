package dev.runbook.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server for the whole test JVM, started on first use and stopped by
 * a shutdown hook. Wraps {@link io.zonky.test.db.postgres.embedded.EmbeddedPostgres}.
 *
 * <p>The server authenticates TCP clients with a password (SCRAM), so tests can check a
 * wrong password: {@link #user()} is a superuser role {@code runbook} with the random
 * {@link #password()}. The {@code postgres} role keeps {@code trust} on the loopback,
 * which zonky needs for its readiness check and which {@link #createDatabase} uses.
 *
 * <p>PostgreSQL refuses to start as root. As root, Surefire forks the test JVM through
 * {@code src/test/jvm/bin/java}, which runs it under {@code unshare -U} (an unprivileged
 * user namespace); {@link #server()} fails with a clear message when the JVM still runs
 * as uid 0 (for example when run from an IDE), instead of PostgreSQL's own error.
 */
public final class EmbeddedPostgres {

    private static final String USER = "runbook";
    private static final String PASSWORD = randomHex();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private EmbeddedPostgres() {}

    private static String randomHex() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Lazy holder: the server starts when a test first asks for it. */
    private static final class Holder {
        static final io.zonky.test.db.postgres.embedded.EmbeddedPostgres PG = start();
    }

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres start() {
        if (isRoot()) {
            throw new IllegalStateException("PostgreSQL refuses to run as root: run the tests through Maven "
                    + "(Surefire forks the JVM under `unshare -U`, see src/test/jvm/bin/java)");
        }
        try {
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
                    io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                            .setRegisterShutdownHook(false)
                            .setDataDirectoryCustomizer(EmbeddedPostgres::writeHba)
                            .start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    pg.close();
                                } catch (IOException ignored) {
                                    // the JVM is ending
                                }
                            },
                            "embedded-postgres-stop"));
            try (Connection c = superuser(pg, "postgres");
                    Statement st = c.createStatement()) {
                st.execute("CREATE ROLE " + USER + " LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
            }
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL: cannot create the test role", e);
        }
    }

    /** Loopback TCP: {@code postgres} trusted, every other role by SCRAM password. */
    private static void writeHba(java.io.File dataDir) {
        String hba = String.join(
                "\n",
                "local all all trust",
                "host all postgres 127.0.0.1/32 trust",
                "host all postgres ::1/128 trust",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256",
                "");
        try {
            Files.writeString(dataDir.toPath().resolve("pg_hba.conf"), hba, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Connection superuser(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg, String db)
            throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + db, "postgres", "");
    }

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres server() {
        return Holder.PG;
    }

    /** The TCP port the server listens on (127.0.0.1). */
    public static int port() {
        return server().getPort();
    }

    /** The JDBC URL of the {@code postgres} database. */
    public static String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /** The JDBC URL of one database of the server. */
    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** The password-authenticated test role (a superuser). */
    public static String user() {
        server();
        return USER;
    }

    /** {@link #user()}'s password, random per JVM. */
    public static String password() {
        server();
        return PASSWORD;
    }

    /**
     * Creates a new empty database owned by {@link #user()}, for one test class.
     *
     * @param prefix a readable start of its name (letters, digits, underscores)
     * @return the database name (unique in this JVM)
     */
    public static String createDatabase(String prefix) {
        String name = (prefix + "_" + DATABASES.incrementAndGet()).toLowerCase(Locale.ROOT);
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = superuser(server(), "postgres");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return name;
    }

    /** A connection to a database as {@link #user()}, for test setup and checks. */
    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user(), password());
    }
}
