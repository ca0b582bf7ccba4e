package dev.runbook.board;

import static dev.runbook.testing.RunbookProcess.await;
import static dev.runbook.testing.RunbookProcess.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.model.StoreRef;
import dev.runbook.store.Store;
import dev.runbook.testing.Chromium;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.EmbeddedPostgres;
import dev.runbook.testing.RunbookProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident board (issue 11, item 6) in headless Chromium, driven over the DevTools protocol:
 * a run started during the test appears on the open page, and its steps appear on its incident
 * page, live, without a reload (a marker set in the page survives); markup in the runbook stays
 * text; the board answers nothing but GET, and beyond loopback only with its token.
 */
class BoardChromiumTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String db;
    private Store store;
    private Path inventory;
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    @BeforeEach
    void store() throws Exception {
        db = EmbeddedPostgres.createDatabase("board");
        inventory = dir.resolve("environments.yaml");
        StoreRef ref = new StoreRef(EmbeddedPostgres.jdbcUrl(db), EmbeddedPostgres.user(), "${secrets.STORE_PASSWORD}");
        Files.writeString(inventory, """
                store: {url: '%s', user: %s, password: '${secrets.STORE_PASSWORD}'}
                environments:
                  staging: {vars: {x: '1'}}
                """.formatted(ref.url(), ref.user()));
        store = Store.of(ref, Map.of("STORE_PASSWORD", EmbeddedPostgres.password()));
        store.init();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        for (Process p : processes) {
            // chromium's renderers and zygote first: they write into the profile until they end
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            for (ProcessHandle h : p.descendants().toList()) {
                h.onExit().get(30, TimeUnit.SECONDS);
            }
        }
        for (Path profile : profiles) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void aRunStartedDuringTheTestAppearsAndItsStepsFollowLiveWithoutReload() throws Exception {
        String chromium = Chromium.require();
        BoardServer board = new BoardServer(
                store, dir.resolve("mirror"), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
        closing.add(board);
        String base = "http://127.0.0.1:" + board.port();
        Cdp page = browse(chromium, base + "/");
        await("the board page", () -> text(page).contains("No open incident."));
        page.eval("window.__marker = 'kept'");

        Path gate = dir.resolve("gate");
        Path rb = dir.resolve("live.yaml");
        Files.writeString(rb, """
                id: LIVE-1
                title: "Live <img src=x onerror=\\"window.__pwned=1\\"><script>window.__pwned=2</script>"
                severity: P2
                steps:
                  - id: first
                    shell: echo first
                  - id: wait-here
                    shell: while [ ! -e %s ]; do sleep 0.05; done
                  - id: last-step
                    shell: echo last
                """.formatted(gate));
        Path out = dir.resolve("run.out");
        Process run = RunbookProcess.start(
                dir.resolve("resp"),
                out,
                Map.of("STORE_PASSWORD", EmbeddedPostgres.password()),
                "run",
                rb.toString(),
                "--yes",
                "--env",
                "staging",
                "--inventory",
                inventory.toString(),
                "--operator",
                "alice");
        processes.add(run);
        await(
                "the run on the open page",
                () -> text(page).contains("LIVE-1") && text(page).contains("wait-here (running)"));
        assertThat(page.eval("window.__marker")).as("no reload").isEqualTo("kept");
        assertThat(page.eval("String(window.__pwned)")).isEqualTo("undefined");
        assertThat(page.eval("String(document.querySelectorAll('#open img, #open script').length)"))
                .isEqualTo("0");

        String id = CliRun.onlyLog(dir.resolve("resp/incidents"))
                .getFileName()
                .toString()
                .replace(".jsonl", "");
        page.eval("location.href = '/incident/" + id + "'");
        await("the incident page", () -> text(page).contains("Post-mortem: " + id));
        page.eval("window.__marker = 'kept-too'");
        assertThat(text(page)).doesNotContain("Step last-step");
        Files.createFile(gate);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(read(out)).isZero();
        await(
                "the last step and the close, live",
                () -> text(page).contains("last-step") && text(page).contains("resolved"));
        assertThat(page.eval("window.__marker")).as("no reload").isEqualTo("kept-too");
        assertThat(page.eval("String(document.querySelectorAll('svg rect.bar').length)"))
                .isEqualTo("3");
        assertThat(page.eval("String(window.__pwned)")).isEqualTo("undefined");
    }

    @Test
    void theBoardIsReadOnlyAndBeyondLoopbackNeedsItsToken() throws Exception {
        BoardServer board = new BoardServer(
                store,
                dir.resolve("mirror"),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                "s3cret-token");
        closing.add(board);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + board.port();
        int tried = 0;
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/"))
                            .header("Authorization", "Bearer s3cret-token")
                            .method(method, HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
            tried++;
        }
        for (String auth : List.of("", "Bearer wrong", "Bearer s3cret-toke", "Basic s3cret-token")) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/"));
            if (!auth.isEmpty()) {
                b.header("Authorization", auth);
            }
            assertThat(http.send(b.build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as(auth)
                    .isEqualTo(401);
            tried++;
        }
        for (String path : List.of("/incident/../../etc/passwd", "/incident/%2e%2e%2fenvironments", "/x")) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .header("Authorization", "Bearer s3cret-token")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            tried++;
        }
        HttpResponse<String> ok = http.send(
                HttpRequest.newBuilder(URI.create(base + "/?token=s3cret-token"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Set-Cookie"))
                .hasValueSatisfying(c ->
                        assertThat(c).contains("runbook_board=s3cret-token").contains("HttpOnly"));
        assertThat(ok.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(c -> assertThat(c).contains("script-src 'self'"));
        assertThat(http.send(
                                HttpRequest.newBuilder(URI.create(base + "/board.js"))
                                        .header("Cookie", "runbook_board=s3cret-token")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        System.out.println("board requests refused as they should: " + tried);
    }

    // ---- Chromium over the DevTools protocol ----

    private static String text(Cdp page) {
        try {
            return page.eval("document.body ? document.body.innerText : ''");
        } catch (Exception e) {
            return "";
        }
    }

    private Cdp browse(String chromium, String url) throws Exception {
        // its own directory, outside @TempDir: the browser may still touch it while JUnit cleans up
        Path profile = Files.createTempDirectory("board-chromium-");
        profiles.add(profile);
        List<String> cmd = Chromium.command(chromium, profile);
        cmd.addAll(List.of("--remote-debugging-port=0", "--remote-allow-origins=*", url));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("chromium.out").toFile())
                .start();
        processes.add(p);
        Path portFile = profile.resolve("DevToolsActivePort");
        await("chromium's DevTools port", () -> read(portFile).contains("\n"));
        int port = Integer.parseInt(
                read(portFile).lines().findFirst().orElseThrow().trim());
        HttpClient http = HttpClient.newHttpClient();
        String ws = null;
        for (int i = 0; i < 100 && ws == null; i++) {
            JsonNode list = JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            for (JsonNode t : list) {
                if ("page".equals(t.path("type").asText())) {
                    ws = t.path("webSocketDebuggerUrl").asText();
                }
            }
            if (ws == null) {
                Thread.sleep(100);
            }
        }
        assertThat(ws).as("a page target").isNotNull();
        Cdp cdp = new Cdp(http, ws);
        closing.add(cdp);
        return cdp;
    }

    /** A minimal DevTools-protocol client: Runtime.evaluate, by value. */
    private static final class Cdp implements WebSocket.Listener, AutoCloseable {
        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        Cdp(HttpClient http, String url) throws Exception {
            socket =
                    http.newWebSocketBuilder().buildAsync(URI.create(url), this).get(30, TimeUnit.SECONDS);
        }

        String eval(String expression) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            socket.sendText(
                            JSON.writeValueAsString(Map.of(
                                    "id",
                                    id,
                                    "method",
                                    "Runtime.evaluate",
                                    "params",
                                    Map.of("expression", expression, "returnByValue", true))),
                            true)
                    .get(10, TimeUnit.SECONDS);
            JsonNode r = f.get(10, TimeUnit.SECONDS);
            return r.path("result").path("result").path("value").asText();
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> f =
                            pending.remove(msg.path("id").asInt(-1));
                    if (f != null) {
                        f.complete(msg);
                    }
                } catch (Exception e) {
                    // an event we do not wait for
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
