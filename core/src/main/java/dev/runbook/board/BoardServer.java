package dev.runbook.board;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runbook.lock.StoreLock;
import dev.runbook.report.Incident;
import dev.runbook.report.IncidentParser;
import dev.runbook.report.IncidentRef;
import dev.runbook.store.Store;
import dev.runbook.store.StoreMirror;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@code runbook board}: a read-only web page of the team store (docs/team.md, "The incident
 * board"), served by the JDK's HTTP server. Its copy of the store's logs is kept up to date by
 * LISTEN on {@link Store#CHANNEL}; each change is pushed to the browsers as a Server-Sent Event
 * (the incident id), and the page fetches itself again. Only GET and HEAD are answered. When a
 * token is set (listening beyond loopback), every request must carry it: {@code Authorization:
 * Bearer TOKEN}, the cookie {@code runbook_board}, or {@code ?token=} once (which sets the cookie).
 */
public final class BoardServer implements AutoCloseable {

    /** The session cookie's name. */
    static final String COOKIE = "runbook_board";
    /** Sent to every browser: scripts only from the board itself, nothing else fetched. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self';"
            + " img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Store store;
    private final Path mirror;
    private final String token;
    private final HttpServer http;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runbook-board");
        t.setDaemon(true);
        return t;
    });
    private final List<BlockingQueue<String>> clients = new CopyOnWriteArrayList<>();
    private final Thread listener;
    private volatile boolean closed;

    /**
     * Starts serving.
     *
     * @param store the team store
     * @param mirror the local copy of its logs ({@link StoreMirror#dir})
     * @param bind the address and port (0: any free port)
     * @param token the access token, or null (loopback only)
     * @throws IOException when the port cannot be bound
     * @throws SQLException when the store cannot be read
     */
    public BoardServer(Store store, Path mirror, InetSocketAddress bind, String token)
            throws IOException, SQLException {
        this.store = store;
        this.mirror = mirror;
        this.token = token;
        try (Connection c = store.connect()) {
            StoreMirror.sync(c, mirror, "");
        }
        Connection listening = store.connect();
        try (var s = listening.createStatement()) {
            s.execute("listen " + Store.CHANNEL);
        }
        http = HttpServer.create(bind, 50);
        http.setExecutor(pool);
        http.createContext("/", this::handle);
        http.start();
        listener = new Thread(() -> listen(listening), "runbook-board-listen");
        listener.setDaemon(true);
        listener.start();
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    private void listen(Connection c) {
        try (c) {
            PGConnection pg = c.unwrap(PGConnection.class);
            while (!closed) {
                PGNotification[] got = pg.getNotifications(1_000);
                if (got == null) {
                    continue;
                }
                Set<String> ids = new java.util.LinkedHashSet<>();
                for (PGNotification n : got) {
                    ids.add(n.getParameter());
                }
                for (String id : ids) {
                    Store.Head h = Store.head(c, id).orElse(null);
                    if (h != null) {
                        StoreMirror.sync(c, mirror, h);
                        clients.forEach(q -> q.offer(id));
                    }
                }
            }
        } catch (SQLException | IOException e) {
            // the store went away: the pages say so on their next load
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            var h = ex.getResponseHeaders();
            h.set("Content-Security-Policy", CSP);
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Referrer-Policy", "no-referrer");
            h.set("X-Frame-Options", "DENY");
            h.set("Cache-Control", "no-store");
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                h.set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain", "read-only: " + method + " is not allowed\n");
                return;
            }
            if (!authorized(ex)) {
                send(ex, 401, "text/plain", "a token is needed: Authorization: Bearer TOKEN, or ?token=TOKEN\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            if (path.equals("/board.js")) {
                send(ex, 200, "text/javascript", BoardPage.JS);
            } else if (path.equals("/events")) {
                events(ex);
            } else if (path.equals("/")) {
                send(ex, 200, "text/html", BoardPage.index(incidents(), running(), Instant.now(), store.describe()));
            } else if (path.startsWith("/incident/")) {
                // only an id the copy holds names a file: nothing else of the disk can be reached
                String id = path.substring("/incident/".length());
                if (!IncidentRef.list(mirror).contains(id)) {
                    send(ex, 404, "text/plain", "no such incident\n");
                    return;
                }
                send(ex, 200, "text/html", BoardPage.incident(IncidentParser.load(mirror.resolve(id + ".jsonl"))));
            } else {
                send(ex, 404, "text/plain", "not found\n");
            }
        } catch (RuntimeException e) {
            send(ex, 500, "text/plain", "the board could not read the store's copy\n");
        }
    }

    /** The token check: header, cookie, or query (which then sets the cookie); constant-time. */
    private boolean authorized(HttpExchange ex) {
        if (token == null) {
            return true;
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith("Bearer ") && same(auth.substring(7).trim())) {
            return true;
        }
        for (String cookies : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String c : cookies.split(";")) {
                String[] kv = c.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(COOKIE) && same(kv[1])) {
                    return true;
                }
            }
        }
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String p : query.split("&")) {
                String[] kv = p.split("=", 2);
                if (kv.length == 2 && kv[0].equals("token") && same(URLDecoder.decode(kv[1], StandardCharsets.UTF_8))) {
                    ex.getResponseHeaders()
                            .add("Set-Cookie", COOKIE + "=" + token + "; HttpOnly; SameSite=Strict; Path=/");
                    return true;
                }
            }
        }
        return false;
    }

    private boolean same(String given) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private List<Incident> incidents() {
        List<Incident> out = new ArrayList<>();
        try {
            for (String id : IncidentRef.list(mirror)) {
                try {
                    out.add(IncidentParser.load(mirror.resolve(id + ".jsonl")));
                } catch (IOException | IllegalArgumentException e) {
                    // not a log: left out
                }
            }
        } catch (IOException e) {
            // no copy yet
        }
        return out;
    }

    private Set<String> running() {
        try (Connection c = store.connect()) {
            return StoreLock.running(c);
        } catch (SQLException e) {
            return Set.of();
        }
    }

    /** Server-Sent Events: one {@code data: ID} per changed incident, a comment every 15 s. */
    private void events(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        clients.add(q);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(": runbook board\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!closed) {
                String id = q.poll(15, TimeUnit.SECONDS);
                String frame = id == null ? ": keep-alive\n\n" : "data: " + id + "\n\n";
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the browser went away
        } finally {
            clients.remove(q);
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : b.length);
        if (!head) {
            ex.getResponseBody().write(b);
        }
    }

    @Override
    public void close() {
        closed = true;
        http.stop(0);
        pool.shutdownNow();
    }
}
