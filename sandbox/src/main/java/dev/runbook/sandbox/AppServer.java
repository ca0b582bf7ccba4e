package dev.runbook.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sandbox's HTTP service on {@code 127.0.0.1} (JDK HttpServer): the AKIG API the runbooks
 * probe ({@code /api/health}, {@code /api/contracts}, {@code /api/notifications/test},
 * {@code /api/payments/health}, {@code POST /api/payments/webhook}), the frontend ({@code /front/}),
 * the provider status pages ({@code /status/twilio|sendgrid|stripe}, Statuspage JSON), the Koomy
 * API ({@code /koomy/api/…}), the app of ROLLBACK-GIT-SHA ({@code /app/health}), the generic service
 * ({@code /service/health}), the CI API ({@code /ci/repos/…}, GitHub REST shape) — answering like a
 * healthy service unless a fault says otherwise — and the admin endpoint of a running sandbox:
 * {@code GET /__sandbox/status}, {@code POST /__sandbox/reset}, {@code POST|DELETE /__sandbox/fault/NAME},
 * {@code POST /__sandbox/stop},
 * {@code POST /__sandbox/db/reset?name=DB} (re-creates a database from its script: {@code supabase db reset}),
 * answered to loopback clients only.
 */
public final class AppServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sandbox sandbox;
    private final HttpServer server;
    private final ExecutorService pool;
    private final Runnable onStop;

    /**
     * Starts the server.
     *
     * @param sandbox the services and faults it reports
     * @param port the TCP port on 127.0.0.1
     * @param onStop run (on another thread) by {@code POST /__sandbox/stop}
     */
    public AppServer(Sandbox sandbox, int port, Runnable onStop) throws IOException {
        this.sandbox = sandbox;
        this.onStop = onStop;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        this.pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "sandbox-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (path.startsWith("/__sandbox/")) {
                admin(ex, method, path.substring("/__sandbox/".length()), body);
            } else if (path.startsWith("/api/")) {
                api(ex, method, path, body);
            } else {
                other(ex, method, path, body);
            }
        } catch (RuntimeException e) {
            send(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private void admin(HttpExchange ex, String method, String rest, byte[] body) throws IOException {
        if (!ex.getRemoteAddress().getAddress().isLoopbackAddress()) {
            send(ex, 403, Map.of("error", "the admin endpoint answers loopback clients only"));
        } else if (rest.equals("status") && method.equals("GET")) {
            send(ex, 200, sandbox.status());
        } else if (rest.equals("reset") && method.equals("POST")) {
            try {
                sandbox.reset();
                send(ex, 200, sandbox.status());
            } catch (IOException | java.sql.SQLException | RuntimeException e) {
                send(ex, 500, Map.of("error", "reset failed: " + e.getMessage()));
            }
        } else if (rest.startsWith("fault/") && (method.equals("POST") || method.equals("DELETE"))) {
            String name = rest.substring("fault/".length());
            if (sandbox.faults().get(name).isEmpty()) {
                send(ex, 404, Map.of("error", "unknown fault '" + name + "'"));
                return;
            }
            try {
                if (method.equals("POST")) {
                    sandbox.inject(name);
                } else {
                    sandbox.clear(name);
                }
            } catch (RuntimeException e) {
                send(ex, 500, Map.of("error", String.valueOf(e.getMessage())));
                return;
            }
            send(ex, 200, sandbox.status());
        } else if (rest.equals("db/reset") && method.equals("POST")) {
            String q = ex.getRequestURI().getQuery();
            String name = q != null && q.startsWith("name=") ? q.substring("name=".length()) : "";
            if (!sandbox.database().names().contains(name)) {
                send(
                        ex,
                        404,
                        Map.of(
                                "error",
                                "unknown database '" + name + "' (known: "
                                        + String.join(", ", sandbox.database().names()) + ")"));
                return;
            }
            try {
                sandbox.database().recreate(name);
            } catch (SQLException e) {
                send(ex, 500, Map.of("error", "cannot re-create " + name + ": " + e.getMessage()));
                return;
            }
            send(ex, 200, Map.of("reset", name));
        } else if (rest.equals("exec") && method.equals("POST")) {
            List<String> words =
                    JSON.readValue(body, new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {});
            CommandEmulator.Result r = sandbox.emulator().runWords(words);
            send(ex, 200, Map.of("exit", r.exit(), "out", r.out(), "err", r.err()));
        } else if (rest.equals("stop") && method.equals("POST")) {
            send(ex, 202, Map.of("stopping", true));
            Thread t = new Thread(onStop, "sandbox-stop");
            t.start();
        } else {
            send(ex, 404, Map.of("error", "no admin route " + method + " /__sandbox/" + rest));
        }
    }

    private void api(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        Services s = sandbox.services();
        if (!s.backendOnline()) {
            send(ex, 503, Map.of("error", "Service Unavailable", "detail", "upstream akig-backend is not running"));
            return;
        }
        pause(s.latencyMs());
        if (path.equals("/api/health")) {
            int mb = s.memoryMb();
            String status = mb > Services.ALERT_MEMORY_MB ? "degraded" : "ok";
            send(ex, mb > Services.FAILING_MEMORY_MB ? 503 : 200, Map.of("status", status, "memory_mb", mb));
            return;
        }
        if (!s.authWorks()) {
            send(ex, 401, Map.of("error", "Invalid token"));
            return;
        }
        if (path.equals("/api/contracts")) {
            try (Connection c = sandbox.backendConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, title, amount FROM contracts ORDER BY id")) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(Map.of("id", rs.getInt(1), "title", rs.getString(2), "amount", rs.getBigDecimal(3)));
                }
                send(ex, 200, Map.of("contracts", rows));
            } catch (SQLException e) {
                send(ex, 503, Map.of("error", "Database connection failed"));
            }
        } else if (path.equals("/api/notifications/test") && method.equals("POST")) {
            notificationTest(ex, body);
        } else if (path.equals("/api/payments/health") || path.equals("/api/payments/webhook")) {
            if (paymentsInMaintenance()) {
                send(
                        ex,
                        path.endsWith("webhook") ? 202 : 200,
                        Map.of("status", "maintenance", "message", "Paiements temporairement indisponibles"));
            } else if (s.stripeFailing()) {
                send(ex, 502, Map.of("error", "Stripe API unavailable"));
            } else {
                send(ex, 200, Map.of("status", "ok"));
            }
        } else {
            send(ex, 404, Map.of("error", "Not Found"));
        }
    }

    /**
     * {@code POST /api/notifications/test {"type": "sms"|"email"}}: 200 {@code queued} when the
     * provider the channel is routed to is up, 502 when it is down (PostgreSQL {@code akig_db}:
     * {@code notification_routing}, {@code provider_status}).
     */
    private void notificationTest(HttpExchange ex, byte[] body) throws IOException {
        String type = "sms";
        try {
            type = JSON.readTree(body).path("type").asText("sms");
        } catch (IOException ignored) {
            // no JSON body: an SMS test
        }
        try (Connection c = sandbox.database().connect(Sandbox.AKIG_DB);
                java.sql.PreparedStatement st = c.prepareStatement("SELECT r.provider, p.up FROM notification_routing r"
                        + " JOIN provider_status p USING (provider) WHERE r.channel = ?")) {
            st.setString(1, type);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    send(ex, 400, Map.of("error", "unknown notification type " + type));
                } else if (!rs.getBoolean(2)) {
                    send(ex, 502, Map.of("error", "provider " + rs.getString(1) + " unavailable", "queued", false));
                } else {
                    send(ex, 200, Map.of("queued", true, "provider", rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            send(ex, 503, Map.of("error", "Database connection failed"));
        }
    }

    /** True when the provider's row in {@code provider_status} says it is down. */
    private boolean providerDown(String provider) {
        try (Connection c = sandbox.database().connect(Sandbox.AKIG_DB);
                java.sql.PreparedStatement st =
                        c.prepareStatement("SELECT NOT up FROM provider_status WHERE provider = ?")) {
            st.setString(1, provider);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** premium_subscriptions off or payments_maintenance_mode on (CS-P1-STRIPE-DOWN's mitigation). */
    private boolean paymentsInMaintenance() {
        try (Connection c = sandbox.database().connect(Sandbox.CREWSNOW_DB);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT bool_or(CASE flag_key WHEN 'premium_subscriptions'"
                        + " THEN NOT is_enabled ELSE is_enabled END) FROM feature_flags WHERE flag_key IN"
                        + " ('premium_subscriptions', 'payments_maintenance_mode')")) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private void other(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        if (path.equals("/front") || path.startsWith("/front/")) {
            if (sandbox.services().frontendOnline()) {
                sendText(ex, 200, "text/html", "<!doctype html><title>AKIG</title><div id=root>AKIG</div>\n");
            } else {
                sendText(ex, 502, "text/html", "<!doctype html><title>502 Bad Gateway</title>\n");
            }
        } else if (path.startsWith("/status/")) {
            String provider = path.substring("/status/".length()).split("/")[0];
            boolean down = provider.equals("stripe") ? sandbox.services().stripeFailing() : providerDown(provider);
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("indicator", down ? "major" : "none");
            st.put("description", down ? "Major Service Outage" : "All Systems Operational");
            send(ex, 200, Map.of("page", Map.of("name", provider), "status", st));
        } else if (path.equals("/koomy/api/auth/session")) {
            send(ex, 401, Map.of("error", "not signed in"));
        } else if (path.equals("/service/health")) {
            if (sandbox.services().apiOnline()) {
                send(
                        ex,
                        200,
                        Map.of("status", "ok", "replicas", sandbox.services().apiReplicas()));
            } else {
                send(ex, 503, Map.of("error", "no healthy upstream", "detail", "deployment api: CrashLoopBackOff"));
            }
        } else if (path.equals("/app/health")) {
            String release = sandbox.services().appRelease();
            if (release.equals(Services.COMMITS.get(0))) {
                send(ex, 500, Map.of("error", "TypeError: Cannot read properties of undefined", "release", release));
            } else {
                send(ex, 200, Map.of("status", "ok", "release", release));
            }
        } else if (path.equals("/koomy/api/health") || path.equals("/koomy/api/payments/health")) {
            send(ex, 200, Map.of("status", "ok"));
        } else if (path.startsWith("/functions/v1/")) {
            edgeFunction(ex, path.substring("/functions/v1/".length()));
        } else if (path.startsWith("/ci/repos/")) {
            ci(ex, method, path, body);
        } else {
            send(ex, 404, Map.of("error", "Not Found"));
        }
    }

    /**
     * {@code /functions/v1/NAME}: a CrewSnow Edge Function, answering as {@code
     * edge_functions_monitoring} says it does (503 after a pause while overloaded; 503 as well when
     * the database does not answer).
     */
    private void edgeFunction(HttpExchange ex, String name) throws IOException {
        try (Connection c = sandbox.database().connect(Sandbox.CREWSNOW_DB);
                java.sql.PreparedStatement st = c.prepareStatement(
                        "SELECT latency_status FROM edge_functions_monitoring WHERE function_name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    send(ex, 404, Map.of("error", "Function not found"));
                } else if (!rs.getString(1).equals("OK")) {
                    pause(EDGE_TIMEOUT_MS);
                    send(ex, 503, Map.of("error", "Edge Function timed out", "function", name));
                } else {
                    send(ex, 200, Map.of("function", name, "status", "ok"));
                }
            }
        } catch (SQLException e) {
            send(ex, 503, Map.of("error", "database unavailable"));
        }
    }

    /** How long an overloaded Edge Function takes to fail, in ms. */
    static final long EDGE_TIMEOUT_MS = 300;

    /**
     * The CI API (GitHub REST shape): the repository's commits ({@link Services#COMMITS}); a
     * {@code workflow_dispatch} whose {@code inputs.sha} names a known commit deploys it at once
     * and records a completed run; an unknown SHA is refused with 422, as GitHub refuses bad inputs.
     */
    private void ci(HttpExchange ex, String method, String path, byte[] body) throws IOException {
        Services s = sandbox.services();
        if (path.endsWith("/dispatches") && method.equals("POST")) {
            String sha;
            try {
                sha = JSON.readTree(body).path("inputs").path("sha").asText(null);
            } catch (IOException e) {
                send(ex, 400, Map.of("message", "Problems parsing JSON"));
                return;
            }
            String full = Services.commit(sha);
            if (full == null) {
                send(ex, 422, Map.of("message", "No commit found for SHA: " + sha));
                return;
            }
            s.appRelease(full);
            s.ciRun(full);
            ex.sendResponseHeaders(204, -1);
        } else if (path.endsWith("/runs")) {
            List<Map<String, Object>> runs = new ArrayList<>();
            List<String> all = s.ciRuns();
            for (int i = all.size() - 1; i >= 0; i--) {
                runs.add(Map.of("status", "completed", "conclusion", "success", "head_sha", all.get(i)));
            }
            send(ex, 200, Map.of("total_count", runs.size(), "workflow_runs", runs));
        } else if (path.endsWith("/commits")) {
            List<Map<String, Object>> commits = new ArrayList<>();
            for (int i = 0; i < Services.COMMITS.size(); i++) {
                commits.add(Map.of("sha", Services.COMMITS.get(i), "commit", Map.of("message", "commit " + (20 - i))));
            }
            send(ex, 200, commits);
        } else if (path.contains("/commits/")) {
            String full = Services.commit(path.substring(path.lastIndexOf('/') + 1));
            if (full == null) {
                send(ex, 404, Map.of("message", "No commit found for SHA"));
            } else {
                send(ex, 200, Map.of("sha", full));
            }
        } else {
            send(ex, 404, Map.of("message", "Not Found"));
        }
    }

    private static void pause(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        sendText(ex, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void sendText(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
