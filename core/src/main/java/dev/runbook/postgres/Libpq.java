package dev.runbook.postgres;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The user's own PostgreSQL set-up, as libpq reads it (PostgreSQL docs, "Connection Strings",
 * "Environment Variables", "The Password File", "The Connection Service File"), turned into what
 * the JDBC driver takes. A database of the inventory may be written as:
 *
 * <ul>
 *   <li>a JDBC URL, {@code jdbc:postgresql://HOST:PORT/DATABASE?…} (also {@code jdbc:postgresql:DATABASE});
 *   <li>a libpq URI, {@code postgresql://[USER@]HOST[:PORT][,HOST2…]/DATABASE?PARAM=VALUE…} (or
 *       {@code postgres://}); a password in it is refused (use {@code password: ${secrets.NAME}} or
 *       {@code ~/.pgpass});
 *   <li>{@code service=NAME}: a section of {@code pg_service.conf} ({@code PGSERVICEFILE},
 *       {@code ~/.pg_service.conf}, {@code PGSYSCONFDIR}), read by the driver.
 * </ul>
 *
 * What the URL leaves out comes from the environment as with libpq: {@code PGHOST}, {@code
 * PGPORT}, {@code PGDATABASE}, {@code PGUSER} (after the inventory's {@code user:}), {@code
 * PGSSLMODE}, {@code PGSERVICE} (when no host is given). The driver itself reads {@code
 * ~/.pgpass} ({@code PGPASSFILE}) and the service files.
 */
public final class Libpq {

    /** libpq's password variable: a secret of that name may be met by the password file instead. */
    public static final String PASSWORD = "PGPASSWORD";

    /**
     * The variables that choose the server and how it is reached ({@link #connect}), which a
     * sandbox drill leaves out: its databases are the sandbox's, whatever the caller's set-up.
     */
    public static final java.util.Set<String> CONNECTION_VARIABLES =
            java.util.Set.of("PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSSLMODE", "PGSERVICE");

    /** libpq URI parameters with another name in the JDBC driver. */
    private static final Map<String, String> RENAMED = Map.of(
            "connect_timeout", "connectTimeout",
            "application_name", "ApplicationName",
            "target_session_attrs", "targetServerType");

    private Libpq() {}

    /**
     * Where to connect.
     *
     * @param url the JDBC URL
     * @param properties connection properties the URL does not hold ({@code user}, {@code sslmode})
     */
    public record Connect(String url, Map<String, String> properties) {}

    /**
     * @param url an inventory database URL
     * @return null when it is one of the accepted forms, else why not (one line, no password)
     */
    public static String formProblem(String url) {
        try {
            parse(url);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * The connection for a database of the inventory.
     *
     * @param url the inventory's {@code url} (an accepted form: {@link #formProblem})
     * @param user the inventory's {@code user}, rendered; may be null
     * @param env the process environment (the {@code PG*} variables)
     * @return the JDBC URL and properties
     * @throws IllegalArgumentException when the URL is not an accepted form
     */
    public static Connect connect(String url, String user, Map<String, String> env) {
        Parsed p = parse(url);
        Map<String, String> params = new LinkedHashMap<>(p.params());
        boolean service = params.containsKey("service");
        String hosts = p.hosts();
        String db = p.database();
        if (!service && hosts.isEmpty() && nonEmpty(env.get("PGSERVICE"))) {
            params.put("service", env.get("PGSERVICE"));
            service = true;
        }
        if (!service) {
            if (hosts.isEmpty() && nonEmpty(env.get("PGHOST"))) {
                hosts = env.get("PGHOST");
            }
            if (nonEmpty(env.get("PGPORT"))) {
                hosts = withPort(hosts.isEmpty() ? "localhost" : hosts, env.get("PGPORT"));
            }
            if (db.isEmpty() && nonEmpty(env.get("PGDATABASE"))) {
                db = env.get("PGDATABASE");
            }
        }
        Map<String, String> props = new LinkedHashMap<>();
        String who = nonEmpty(user) ? user : p.user() != null ? p.user() : service ? null : env.get("PGUSER");
        if (nonEmpty(who) && !params.containsKey("user")) {
            props.put("user", who);
        }
        if (!params.containsKey("sslmode") && nonEmpty(env.get("PGSSLMODE"))) {
            props.put("sslmode", env.get("PGSSLMODE"));
        }
        StringBuilder jdbc =
                new StringBuilder("jdbc:postgresql://").append(hosts).append('/');
        jdbc.append(encode(db));
        String sep = "?";
        for (Map.Entry<String, String> e : params.entrySet()) {
            jdbc.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = "&";
        }
        return new Connect(jdbc.toString(), props);
    }

    /**
     * The password file the driver reads, when there is one: {@code PGPASSFILE}, else {@code
     * ~/.pgpass}.
     *
     * @param env the process environment
     * @return the file, when it exists and can be read
     */
    public static Optional<Path> passfile(Map<String, String> env) {
        String f = env.get("PGPASSFILE");
        Path p = nonEmpty(f)
                ? Path.of(f)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".pgpass");
        return Files.isRegularFile(p) && Files.isReadable(p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Whether the connection would accept any server certificate: a server that is not on this
     * machine, reached without {@code sslmode} {@code verify-full} or {@code verify-ca} (in the URL
     * or {@code PGSSLMODE}). The JDBC driver's default, {@code prefer}, encrypts without checking
     * whom it talks to.
     *
     * @param url an inventory database URL (an accepted form)
     * @param env the process environment ({@code PGSSLMODE}, {@code PGHOST})
     * @return null when the server is checked or local, else the one-line problem
     */
    public static String unverifiedServer(String url, Map<String, String> env) {
        Parsed p = parse(url);
        if (p.params().containsKey("service")) {
            return null; // the service file holds the sslmode: not ours to read
        }
        String mode = p.params().getOrDefault("sslmode", env.get("PGSSLMODE"));
        if (mode != null && (mode.equals("verify-full") || mode.equals("verify-ca"))) {
            return null;
        }
        String hosts = p.hosts().isEmpty() ? env.getOrDefault("PGHOST", "localhost") : p.hosts();
        List<String> remote = new ArrayList<>();
        for (String h : hosts.split(",")) {
            String host = h.startsWith("[") ? h.substring(1, Math.max(1, h.indexOf(']'))) : h.replaceAll(":\\d*$", "");
            if (!loopback(host)) {
                remote.add(host);
            }
        }
        if (remote.isEmpty()) {
            return null;
        }
        return "server " + String.join(", ", remote) + " is reached with sslmode "
                + (mode == null ? "prefer (the default)" : mode)
                + ", which accepts any certificate: add sslmode=verify-full (and sslrootcert=FILE)";
    }

    /** Each host of a list ({@code h1,[::1],h2:5433}) without a port gets this one (libpq's PGPORT). */
    private static String withPort(String hosts, String port) {
        List<String> out = new ArrayList<>();
        for (String h : hosts.split(",")) {
            boolean hasPort = h.startsWith("[") ? h.contains("]:") : h.contains(":");
            out.add(hasPort ? h : h + ":" + port);
        }
        return String.join(",", out);
    }

    private static boolean loopback(String host) {
        if (host.isEmpty() || host.equals("localhost") || host.startsWith("/")) {
            return true; // a Unix socket directory, or this machine
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: not resolved here (validate works offline)
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private record Parsed(String hosts, String database, String user, Map<String, String> params) {}

    private static Parsed parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no url");
        }
        if (url.startsWith("service=")) {
            String name = url.substring("service=".length());
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("service=NAME takes a section name of pg_service.conf");
            }
            return new Parsed("", "", null, Map.of("service", name));
        }
        String rest;
        boolean uri;
        if (url.startsWith("jdbc:postgresql:")) {
            rest = url.substring("jdbc:postgresql:".length());
            uri = false;
            if (!rest.startsWith("//")) { // jdbc:postgresql:DATABASE or jdbc:postgresql:/
                int q = rest.indexOf('?');
                String db = q < 0 ? rest : rest.substring(0, q);
                return new Parsed(
                        "", db.replaceFirst("^/", ""), null, query(q < 0 ? "" : rest.substring(q + 1), false));
            }
        } else if (url.matches("(?i)postgres(ql)?://.*")) {
            rest = url.substring(url.indexOf("//"));
            uri = true;
        } else {
            throw new IllegalArgumentException("not a PostgreSQL URL: write jdbc:postgresql://HOST:PORT/DATABASE,"
                    + " postgresql://HOST:PORT/DATABASE or service=NAME");
        }
        rest = rest.substring(2);
        int slash = indexOfAny(rest, "/?");
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        String user = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            if (!uri) {
                throw new IllegalArgumentException("a user in a JDBC URL: give it as user:");
            }
            String info = authority.substring(0, at);
            if (info.contains(":")) {
                throw new IllegalArgumentException("a password in the URL: give password: ${secrets.NAME}, or"
                        + " leave it to PGPASSWORD or ~/.pgpass; a password is never written in the inventory");
            }
            user = decode(info);
            authority = authority.substring(at + 1);
        }
        int q = path.indexOf('?');
        String db = (q < 0 ? path : path.substring(0, q)).replaceFirst("^/", "");
        Map<String, String> params = query(q < 0 ? "" : path.substring(q + 1), uri);
        if (uri && params.containsKey("user")) {
            user = params.remove("user");
        }
        if (uri && params.containsKey("dbname")) {
            db = params.remove("dbname");
        }
        if (uri && params.containsKey("host")) {
            authority = params.remove("host") + (params.containsKey("port") ? ":" + params.remove("port") : "");
        }
        return new Parsed(authority, decode(db), user, params);
    }

    private static Map<String, String> query(String q, boolean uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String kv : q.split("&")) {
            if (kv.isEmpty()) {
                continue;
            }
            int eq = kv.indexOf('=');
            String k = decode(eq < 0 ? kv : kv.substring(0, eq));
            String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
            if (uri && (k.toLowerCase(Locale.ROOT).equals("password") || k.equalsIgnoreCase("sslpassword"))) {
                throw new IllegalArgumentException("a password in the URL: give password: ${secrets.NAME}, or"
                        + " leave it to PGPASSWORD or ~/.pgpass; a password is never written in the inventory");
            }
            params.put(uri ? RENAMED.getOrDefault(k, k) : k, v);
        }
        return params;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
