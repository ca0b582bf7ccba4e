package dev.runbook.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The sandbox's stand-in tools for the {@code shell} steps of env {@code sandbox}: the sandbox
 * writes one {@code #!/bin/sh} shim per tool into {@code <stateDir>/bin} ({@link #writeShims}),
 * which the inventory puts first on {@code PATH} ({@code shell_path: [.sandbox/bin]}); each shim
 * runs this class with the same java and class path as the sandbox, the tool name first.
 * Everything is loopback-only, with timeouts (3 s to connect).
 *
 * <ul>
 * <li>{@code pg_dump --dbname=postgresql://USER@127.0.0.1:PORT/DB [--file=F | -f F]}: a plain SQL
 *     snapshot (rows of every table of schema {@code public} as INSERT statements) in F, or on
 *     stdout; password from {@code PGPASSWORD}. Exit 1 with one line when it cannot connect.</li>
 * <li>{@code supabase db reset --db-url URL [--yes]}: the running sandbox re-creates that database
 *     from its scripts ({@code POST /__sandbox/db/reset?name=DB}); without {@code --yes} it asks on
 *     stdin. Other subcommands exit 127.</li>
 * <li>{@code git checkout REF}, {@code git revert …}, {@code git push …}: print a one-liner, exit 0,
 *     touch no repository (so a drill never modifies the caller's clone). Other subcommands exit 127.</li>
 * </ul>
 */
public final class Tools {

    /** The tools the shims name. */
    public static final List<String> NAMES = List.of("pg_dump", "pg_restore", "supabase", "git", "kubectl");

    /** The first line of the sandbox's backup file ({@link #BACKUP_FILE} in its work directory). */
    public static final String BACKUP_HEADER = "-- runbook sandbox backup";

    /** The name of the sandbox's last good backup, written in its work directory at start. */
    public static final String BACKUP_FILE = "last_good_backup.dump";

    /** Exit code of what is not emulated (as the SSH emulator). */
    public static final int NOT_EMULATED = 127;

    /** The shims' variable naming the sandbox's admin endpoint ({@code http://127.0.0.1:PORT/__sandbox/}). */
    static final String ADMIN_VAR = "RUNBOOK_SANDBOX_ADMIN";

    private final PrintStream out;
    private final PrintStream err;
    private final java.io.InputStream in;
    private final java.util.Map<String, String> env;

    Tools(PrintStream out, PrintStream err, java.io.InputStream in, java.util.Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.in = in;
        this.env = env;
    }

    /**
     * Runs one tool and exits with its code.
     *
     * @param args the tool name, then its arguments
     */
    public static void main(String[] args) {
        int code = new Tools(System.out, System.err, System.in, System.getenv()).run(List.of(args));
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Writes the shims ({@code pg_dump}, {@code supabase}, {@code git}), mode 755, replacing old ones.
     *
     * @param binDir the directory (created when missing)
     * @param adminUrl the sandbox's admin endpoint, {@code http://127.0.0.1:PORT/__sandbox/}
     * @throws IOException when a file cannot be written
     */
    public static void writeShims(Path binDir, String adminUrl) throws IOException {
        Files.createDirectories(binDir);
        String javaCmd = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                cp.add(Path.of(e).toAbsolutePath().normalize().toString());
            }
        }
        for (String name : NAMES) {
            String script = "#!/bin/sh\n"
                    + "# runbook sandbox stand-in for '" + name
                    + "' (docs/sandbox.md), written by the sandbox at start\n"
                    + ADMIN_VAR + "=" + quote(adminUrl) + "\nexport " + ADMIN_VAR + "\n"
                    + "exec " + quote(javaCmd) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "
                    + quote(String.join(File.pathSeparator, cp)) + " " + Tools.class.getName() + " " + name
                    + " \"$@\"\n";
            Path tmp = binDir.resolve("." + name + ".tmp");
            Files.writeString(tmp, script, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(tmp, binDir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    /** Runs the tool {@code args[0]}; returns its exit code. */
    int run(List<String> args) {
        if (args.isEmpty()) {
            err.println("sandbox tools: give a tool name (" + String.join(", ", NAMES) + ")");
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            switch (args.get(0)) {
                case "pg_dump":
                    return pgDump(rest);
                case "pg_restore":
                    return pgRestore(rest);
                case "supabase":
                    return supabase(rest);
                case "git":
                    return git(rest);
                case "kubectl":
                    return kubectl(rest);
                default:
                    return notEmulated(args.get(0));
            }
        } catch (IllegalArgumentException e) {
            err.println(args.get(0) + ": error: " + e.getMessage());
            return 1;
        }
    }

    private int notEmulated(String name) {
        err.println("sandbox: " + name + ": not emulated in sandbox");
        return NOT_EMULATED;
    }

    // ------------------------------------------------------------------ pg_dump

    private int pgDump(List<String> args) {
        String db = null;
        String file = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--dbname=")) {
                db = a.substring("--dbname=".length());
            } else if (a.equals("--dbname") || a.equals("-d")) {
                db = value(args, ++i, a);
            } else if (a.startsWith("--file=")) {
                file = a.substring("--file=".length());
            } else if (a.equals("--file") || a.equals("-f")) {
                file = value(args, ++i, a);
            } else if (!a.startsWith("-") && db == null) {
                db = a;
            } else {
                throw new IllegalArgumentException("option " + a + " is not emulated in sandbox");
            }
        }
        if (db == null) {
            throw new IllegalArgumentException("give --dbname=postgresql://USER@127.0.0.1:PORT/DB");
        }
        PgUri uri = PgUri.parse(db);
        Properties props = new Properties();
        props.setProperty("user", uri.user());
        String pw = env.get("PGPASSWORD");
        if (pw != null) {
            props.setProperty("password", pw);
        }
        props.setProperty("connectTimeout", "3");
        props.setProperty("loginTimeout", "3");
        props.setProperty("socketTimeout", "60");
        try (Connection c = DriverManager.getConnection(uri.jdbc(), props)) {
            c.setReadOnly(true);
            if (file == null) {
                Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
                dump(c, uri, w);
                w.flush();
            } else {
                try (Writer w = Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8)) {
                    dump(c, uri, w);
                }
            }
            return 0;
        } catch (SQLException e) {
            err.println("pg_dump: error: connection to server at \"" + uri.host() + "\", port " + uri.port()
                    + " failed: " + firstLine(e.getMessage()));
            return 1;
        } catch (IOException e) {
            err.println("pg_dump: error: could not write " + file + ": " + e.getMessage());
            return 1;
        }
    }

    private static void dump(Connection c, PgUri uri, Writer w) throws SQLException, IOException {
        w.write("--\n-- Sandbox stand-in for pg_dump (runbook sandbox): rows of schema public as INSERTs,\n"
                + "-- for investigation; not a restorable dump (no schema, no sequences, no policies).\n"
                + "-- Database: " + uri.database() + " on " + uri.host() + ":" + uri.port() + ", taken "
                + Instant.now() + "\n--\n");
        List<String> tables = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT table_name FROM"
                        + " information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                        + " ORDER BY table_name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String t : tables) {
            String qt = "\"" + t.replace("\"", "\"\"") + "\"";
            w.write("\n-- Data for table public." + qt + "\n");
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT * FROM public." + qt)) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    cols.add("\"" + md.getColumnName(i).replace("\"", "\"\"") + "\"");
                }
                while (rs.next()) {
                    List<String> vals = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String v = rs.getString(i);
                        vals.add(v == null ? "NULL" : "'" + v.replace("'", "''") + "'");
                    }
                    w.write("INSERT INTO public." + qt + " (" + String.join(", ", cols) + ") VALUES ("
                            + String.join(", ", vals) + ");\n");
                }
            }
        }
    }

    // ------------------------------------------------------------------ pg_restore

    /**
     * {@code pg_restore [--clean] [--if-exists] [--no-owner] --dbname=URI FILE}: FILE must be the
     * sandbox's backup ({@link #BACKUP_FILE}, first line {@link #BACKUP_HEADER}); the running
     * sandbox then re-creates that database as the backup holds it. Any other file is refused, as
     * pg_restore refuses what is not an archive.
     */
    private int pgRestore(List<String> args) {
        String db = null;
        String file = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--dbname=")) {
                db = a.substring("--dbname=".length());
            } else if (a.equals("--dbname") || a.equals("-d")) {
                db = value(args, ++i, a);
            } else if (a.equals("--clean") || a.equals("--if-exists") || a.equals("--no-owner") || a.equals("-c")) {
                continue;
            } else if (!a.startsWith("-") && file == null) {
                file = a;
            } else {
                throw new IllegalArgumentException("option " + a + " is not emulated in sandbox");
            }
        }
        if (db == null || file == null) {
            throw new IllegalArgumentException("give --dbname=postgresql://USER@127.0.0.1:PORT/DB and a backup file");
        }
        PgUri uri = PgUri.parse(db);
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("pg_restore: error: could not open input file \"" + file + "\": No such file or directory");
            return 1;
        }
        if (lines.isEmpty() || !lines.get(0).equals(BACKUP_HEADER)) {
            err.println("pg_restore: error: input file does not appear to be a valid archive");
            return 1;
        }
        return resetDatabase(uri.database(), "pg_restore: error: ");
    }

    /**
     * POSTs to the running sandbox's admin endpoint ({@link #ADMIN_VAR}), 3 s to connect.
     *
     * @param route the route after {@code /__sandbox/}
     * @param body the request body; empty for none
     * @param timeout the whole request's limit
     * @throws IllegalArgumentException when {@link #ADMIN_VAR} does not name a loopback endpoint
     * @throws IOException when no sandbox answers
     */
    private HttpResponse<String> post(String route, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(adminUrl() + route))
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .build()
                .send(req, HttpResponse.BodyHandlers.ofString());
    }

    private String adminUrl() {
        String admin = env.get(ADMIN_VAR);
        if (admin == null || !admin.startsWith("http://127.0.0.1:")) {
            throw new IllegalArgumentException(
                    ADMIN_VAR + " is not set to the sandbox's admin endpoint (run the shim the sandbox wrote)");
        }
        return admin;
    }

    /**
     * Asks the running sandbox to re-create a database ({@code POST /__sandbox/db/reset}).
     *
     * @param failure what an error line starts with ("pg_restore: error: ")
     * @return 0 on 200; 1 with one line on stderr otherwise; 130 when interrupted
     */
    private int resetDatabase(String database, String failure) {
        try {
            HttpResponse<String> r = post(
                    "db/reset?name=" + URLEncoder.encode(database, StandardCharsets.UTF_8),
                    new byte[0],
                    Duration.ofSeconds(60));
            if (r.statusCode() != 200) {
                err.println(failure
                        + new ObjectMapper().readTree(r.body()).path("error").asText("HTTP " + r.statusCode()));
                return 1;
            }
            return 0;
        } catch (IOException e) {
            err.println(failure + "no sandbox answers at " + adminUrl() + " (" + firstLine(e.getMessage()) + ")");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    // ------------------------------------------------------------------ supabase

    private int supabase(List<String> args) {
        if (args.size() >= 2 && args.get(0).equals("functions") && args.get(1).equals("deploy")) {
            return functionsDeploy(args.subList(2, args.size()));
        }
        if (args.size() < 2 || !args.get(0).equals("db") || !args.get(1).equals("reset")) {
            return notEmulated("supabase"
                    + (args.isEmpty() ? "" : " " + String.join(" ", args.subList(0, Math.min(2, args.size())))));
        }
        String url = null;
        boolean yes = false;
        for (int i = 2; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--db-url=")) {
                url = a.substring("--db-url=".length());
            } else if (a.equals("--db-url")) {
                url = value(args, ++i, a);
            } else if (a.equals("--yes")) {
                yes = true;
            } else {
                throw new IllegalArgumentException("option " + a + " is not emulated in sandbox (use --db-url)");
            }
        }
        if (url == null) {
            throw new IllegalArgumentException(
                    "give --db-url postgresql://USER@127.0.0.1:PORT/DB (--linked is not" + " emulated in sandbox)");
        }
        PgUri uri = PgUri.parse(url);
        if (!yes) {
            out.print("Do you want to reset the remote database? [y/N] ");
            out.flush();
            String answer;
            try {
                answer = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                answer = null;
            }
            out.println();
            if (answer == null
                    || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
                err.println("context canceled");
                return 1;
            }
        }
        adminUrl();
        out.println("Resetting remote database...");
        out.flush();
        int code = resetDatabase(uri.database(), "failed to reset database: ");
        if (code != 0) {
            return code;
        }
        out.println("Recreating database " + uri.database() + " from its migrations (sandbox)...");
        out.println("Finished supabase db reset.");
        return 0;
    }

    // ------------------------------------------------------------------ kubectl

    /**
     * {@code kubectl …}: sent to the running sandbox ({@code POST /__sandbox/exec}), whose emulator
     * acts on the deployments it knows in context {@code sandbox}, namespace {@code default}.
     */
    private int kubectl(List<String> args) {
        List<String> words = new ArrayList<>(List.of("kubectl"));
        words.addAll(args);
        ObjectMapper json = new ObjectMapper();
        try {
            HttpResponse<String> r = post("exec", json.writeValueAsBytes(words), Duration.ofSeconds(30));
            com.fasterxml.jackson.databind.JsonNode n = json.readTree(r.body());
            out.print(n.path("out").asText());
            err.print(n.path("err").asText());
            return n.path("exit").asInt(1);
        } catch (IOException e) {
            err.println(
                    "The connection to the server " + adminUrl() + " was refused (" + firstLine(e.getMessage()) + ")");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** {@code supabase functions deploy [NAME] --project-ref REF}: only the sandbox's project. */
    private int functionsDeploy(List<String> args) {
        String ref = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--project-ref")) {
                ref = value(args, ++i, "--project-ref");
            } else if (args.get(i).startsWith("--project-ref=")) {
                ref = args.get(i).substring("--project-ref=".length());
            }
        }
        if (!PROJECT_REF.equals(ref)) {
            err.println("Unexpected error deploying functions: project " + ref + " not found (sandbox: " + PROJECT_REF
                    + " only)");
            return 1;
        }
        out.println("Deployed Functions on project " + ref + ": " + String.join(", ", Faults.EDGE_FUNCTIONS));
        return 0;
    }

    /** The sandbox's Supabase project (the inventory's {@code supabase_project_ref}). */
    static final String PROJECT_REF = "crewsnow-sandbox";

    // ------------------------------------------------------------------ git

    private int git(List<String> args) {
        String sub = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.isEmpty() ? List.of() : args.subList(1, args.size());
        switch (sub) {
            case "checkout":
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("checkout: give a REF");
                }
                String ref = rest.get(rest.size() - 1);
                if (!Services.KNOWN_REFS.contains(ref)) {
                    err.println("error: pathspec '" + ref + "' did not match any file(s) known to git");
                    return 1;
                }
                out.println("HEAD is now at " + ref + " (sandbox: no repository touched)");
                return 0;
            case "tag":
                out.println(String.join(
                        "\n",
                        Services.KNOWN_REFS.stream()
                                .filter(r -> r.startsWith("v"))
                                .sorted(java.util.Comparator.reverseOrder())
                                .toList()));
                return 0;
            case "revert":
                out.println("[sandbox] Revert " + String.join(" ", rest) + " (sandbox: no repository touched)");
                return 0;
            case "push":
                out.println("Everything up-to-date (sandbox: nothing pushed)");
                return 0;
            default:
                return notEmulated(sub.isEmpty() ? "git" : "git " + sub);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args.get(i);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * A libpq URI {@code postgresql://USER[:PW]@HOST[:PORT]/DB}, loopback only.
     *
     * @param user defaults to {@code postgres}
     * @param host 127.0.0.1 or localhost
     * @param port defaults to 5432
     * @param database defaults to {@code postgres}
     */
    record PgUri(String user, String host, int port, String database) {

        static PgUri parse(String s) {
            if (!s.startsWith("postgresql://") && !s.startsWith("postgres://")) {
                throw new IllegalArgumentException("'" + s + "' is not a postgresql:// URI");
            }
            URI u = URI.create(s);
            String host = u.getHost();
            if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
                throw new IllegalArgumentException("the sandbox's tools reach 127.0.0.1 only, not " + host);
            }
            String user = u.getUserInfo() == null ? "postgres" : u.getUserInfo().split(":", 2)[0];
            String db = u.getPath() == null || u.getPath().length() <= 1
                    ? "postgres"
                    : u.getPath().substring(1);
            return new PgUri(user, host, u.getPort() < 0 ? 5432 : u.getPort(), db);
        }

        String jdbc() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }
}
