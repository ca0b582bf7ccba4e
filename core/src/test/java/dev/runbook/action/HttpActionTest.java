package dev.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.runbook.model.ActionSpec;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HttpAction} against a real JDK HTTP server on 127.0.0.1. */
class HttpActionTest {

    private static HttpServer server;
    private static ExecutorService pool;
    private static String base;
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final AtomicReference<Map<String, String>> LAST = new AtomicReference<>();

    private final HttpAction action = new HttpAction();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/health", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("X-Trace-Id", "abc123");
            send(ex, 200, "{\"status\":\"ok\",\"db\":{\"up\":true,\"latency\":12.0},\"items\":[1,2],\"n\":null}");
        });
        server.createContext("/down", ex -> send(ex, 503, "Database connection failed"));
        server.createContext("/slow", ex -> {
            sleep(400);
            send(ex, 200, "late");
        });
        server.createContext("/hang", ex -> {
            try {
                RELEASE.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ex, 200, "too late");
        });
        server.createContext("/big", ex -> send(ex, 200, "x".repeat(100_000)));
        server.createContext("/down-ok", ex -> send(ex, 200, "plain text, not json"));
        server.createContext("/echo", ex -> {
            Map<String, String> seen = new LinkedHashMap<>();
            seen.put("method", ex.getRequestMethod());
            seen.put("query", ex.getRequestURI().getRawQuery());
            seen.put("authorization", ex.getRequestHeaders().getFirst("Authorization"));
            seen.put("content-type", ex.getRequestHeaders().getFirst("Content-Type"));
            try (InputStream in = ex.getRequestBody()) {
                seen.put("body", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            LAST.set(seen);
            send(ex, 201, "created");
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        server.stop(0);
        pool.shutdownNow();
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (var out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ActionSpec.Http get(String url) {
        return new ActionSpec.Http("GET", url, Map.of(), null, false, List.of(), null, Map.of(), null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void jsonAnswerGivesEveryResultFieldAndPassesJsonPointers() throws Exception {
        Map<String, Object> pointers = new LinkedHashMap<>();
        pointers.put("/status", "ok");
        pointers.put("/db/latency", 12); // 12.0 in the body: compared numerically
        pointers.put("/db/up", true);
        pointers.put("/items/1", 2);
        pointers.put("/n", null);
        ActionSpec.Http spec = new ActionSpec.Http(
                "GET",
                base + "/health",
                Map.of(),
                null,
                false,
                List.of(200),
                "\"ok\"",
                pointers,
                Duration.ofSeconds(4));

        ActionResult r = action.execute(spec, new Contexts().build());

        assertThat(r.error()).isNull();
        assertThat(r.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(r.fields()).containsEntry("status", 200).containsKeys("latency_ms", "body", "json", "headers");
        assertThat(r.fields().get("latency_ms")).isInstanceOf(Long.class);
        assertThat((String) r.fields().get("body")).startsWith("{\"status\":\"ok\"");
        Map<String, Object> json = map(r.fields().get("json"));
        assertThat(json)
                .containsEntry("status", "ok")
                .containsEntry("items", List.of(1, 2))
                .containsEntry("n", null);
        assertThat(map(json.get("db"))).containsEntry("up", true).containsEntry("latency", 12.0);
        assertThat(map(r.fields().get("headers")))
                .containsEntry("x-trace-id", "abc123")
                .containsEntry("content-type", "application/json");
    }

    @Test
    void aJsonPointerMismatchFailsAndNamesThePointer() throws Exception {
        ActionSpec.Http spec = new ActionSpec.Http(
                "GET",
                base + "/health",
                Map.of(),
                null,
                false,
                List.of(),
                null,
                Map.of("/status", "down", "/missing", 1),
                null);

        ActionResult r = action.execute(spec, new Contexts().build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error())
                .contains("json /status: expected \"down\", got \"ok\"")
                .contains("json /missing: missing")
                .doesNotContain("\n");
        assertThat(r.fields()).containsEntry("status", 200);
    }

    @Test
    void status503FailsWithStatusAndBodyKept() throws Exception {
        ActionSpec.Http spec =
                new ActionSpec.Http("GET", base + "/down", Map.of(), null, false, List.of(200), null, Map.of(), null);

        ActionResult r = action.execute(spec, new Contexts().build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).isEqualTo("expected status 200, got 503");
        assertThat(r.fields())
                .containsEntry("status", 503)
                .containsEntry("body", "Database connection failed")
                .doesNotContainKey("json");
    }

    @Test
    void noExpectedStatusMeansAny2xx() throws Exception {
        ActionResult down = action.execute(get(base + "/down"), new Contexts().build());
        ActionResult ok = action.execute(get(base + "/health"), new Contexts().build());
        ActionResult accepted = action.execute(
                new ActionSpec.Http(
                        "GET", base + "/down", Map.of(), null, false, List.of(500, 503), null, Map.of(), null),
                new Contexts().build());

        assertThat(down.error()).isEqualTo("expected a 2xx status, got 503");
        assertThat(ok.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(accepted.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
    }

    @Test
    void bodyContainsIsRenderedAndChecked() throws Exception {
        Contexts c = new Contexts().input("word", "connection failed");
        ActionSpec.Http spec = new ActionSpec.Http(
                "GET", base + "/down", Map.of(), null, false, List.of(503), "${inputs.word}", Map.of(), null);
        ActionSpec.Http wrong = new ActionSpec.Http(
                "GET", base + "/down", Map.of(), null, false, List.of(503), "all good", Map.of(), null);

        assertThat(action.execute(spec, c.build()).status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(action.execute(wrong, c.build()).error()).isEqualTo("body does not contain \"all good\"");
    }

    @Test
    void slowerThanMaxLatencyFailsWithTheLatency() throws Exception {
        ActionSpec.Http spec = new ActionSpec.Http(
                "GET", base + "/slow", Map.of(), null, false, List.of(), null, Map.of(), Duration.ofMillis(100));

        ActionResult r = action.execute(spec, new Contexts().build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).startsWith("latency ").endsWith("ms over max_latency 100ms");
        assertThat((Long) r.fields().get("latency_ms")).isGreaterThan(100L);
        assertThat(r.fields()).containsEntry("status", 200);
    }

    @Test
    void aServerSlowerThanTheTimeoutTimesOut() throws Exception {
        ActionResult r = action.execute(
                get(base + "/hang"),
                new Contexts().timeout(Duration.ofMillis(500)).build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.TIMED_OUT);
        assertThat(r.error()).contains("GET " + base + "/hang");
    }

    @Test
    void connectionRefusedFailsWithOneLineNamingTheUrl() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/health";

        ActionResult r = action.execute(get(url), new Contexts().build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).isEqualTo("GET " + url + ": connection refused");
    }

    @Test
    void unknownHostFailsWithOneLine() throws Exception {
        ActionResult r = action.execute(get("http://no-such-host.invalid/x"), new Contexts().build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).isEqualTo("GET http://no-such-host.invalid/x: unknown host");
    }

    @Test
    void headersBodyAndUrlAreRenderedFromTemplatesAndTheTargetIsMasked() throws Exception {
        Contexts c = new Contexts().input("sha", "a1b2c3d").secret("TOKEN", "s3cr3t-t0ken");
        ActionSpec.Http spec = new ActionSpec.Http(
                "POST",
                base + "/echo?key=${secrets.TOKEN}",
                Map.of("Authorization", "Bearer ${secrets.TOKEN}", "Content-Type", "application/json"),
                "{\"sha\": \"${inputs.sha}\"}",
                false,
                List.of(201),
                null,
                Map.of(),
                null);

        ActionResult r = action.execute(spec, c.build());
        String target = action.target(spec, c.renderer(), null);

        assertThat(r.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(LAST.get())
                .containsEntry("method", "POST")
                .containsEntry("query", "key=s3cr3t-t0ken")
                .containsEntry("authorization", "Bearer s3cr3t-t0ken")
                .containsEntry("content-type", "application/json")
                .containsEntry("body", "{\"sha\": \"a1b2c3d\"}");
        assertThat(target).isEqualTo("POST " + base + "/echo?key=****");
    }

    @Test
    void aBodyOver64KiBIsCutWithAMarker() throws Exception {
        ActionResult r = action.execute(get(base + "/big"), new Contexts().build());

        String body = (String) r.fields().get("body");
        assertThat(body).endsWith(HttpAction.TRUNCATED_MARKER);
        assertThat(body.length()).isEqualTo(HttpAction.MAX_BODY_BYTES + HttpAction.TRUNCATED_MARKER.length());
        assertThat(r.fields()).containsEntry("status", 200);
    }

    @Test
    void interruptAbortsTheRequestAndRethrows() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Contexts c = new Contexts().timeout(Duration.ofSeconds(30));
        Thread t = new Thread(() -> {
            try {
                action.execute(get(base + "/hang"), c.build());
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        Thread.sleep(300);
        t.interrupt();
        t.join(10_000);

        assertThat(t.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void tlsSelfSignedFailsUnlessInsecure(@TempDir Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(
                        keytool.toString(),
                        "-genkeypair",
                        "-alias",
                        "server",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=127.0.0.1",
                        "-ext",
                        "SAN=ip:127.0.0.1",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        ks.toString(),
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ssl));
        https.createContext("/", ex -> send(ex, 200, "secure hello"));
        https.start();
        try {
            String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/";
            ActionSpec.Http verified = get(url);
            ActionSpec.Http insecure =
                    new ActionSpec.Http("GET", url, Map.of(), null, true, List.of(), null, Map.of(), null);

            ActionResult refused = action.execute(verified, new Contexts().build());
            ActionResult accepted = action.execute(insecure, new Contexts().build());

            assertThat(refused.status()).isEqualTo(ActionResult.Status.FAILED);
            assertThat(refused.error()).startsWith("GET " + url + ": TLS").doesNotContain("\n");
            assertThat(accepted.error()).isNull();
            assertThat(accepted.fields()).containsEntry("body", "secure hello");
        } finally {
            https.stop(0);
        }
    }

    @Test
    void aBadUrlFailsWithoutThrowing() throws Exception {
        ActionResult r = action.execute(get("http://exa mple.com/"), new Contexts().build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).startsWith("invalid URL in GET http://exa mple.com/");
    }

    @Test
    void targetIsMethodAndUrl() {
        assertThat(action.target(get(base + "/health"), new Contexts().renderer(), null))
                .isEqualTo("GET " + base + "/health");
        assertThatThrownBy(() -> action.target(get("${1 +}"), new Contexts().renderer(), null))
                .isInstanceOf(dev.runbook.template.ExpressionException.class);
    }

    private static ActionSpec.Http expectJson(String path, Map<String, Object> json) {
        return new ActionSpec.Http("GET", base + path, null, null, false, List.of(), null, json, null);
    }

    @Test
    void jsonExpectationsCompareMapsListsAndNumbersByValue() throws Exception {
        ActionResult same = action.execute(
                expectJson(
                        "/health",
                        Map.of(
                                "/db",
                                Map.of("up", true, "latency", 12),
                                "/items",
                                List.of(1, 2.0),
                                "/items/0",
                                "1",
                                "/db/latency",
                                new java.math.BigDecimal("12.00"))),
                new Contexts().build());
        assertThat(same.status()).as(same.error()).isEqualTo(ActionResult.Status.SUCCEEDED);

        ActionResult differ = action.execute(
                expectJson(
                        "/health",
                        Map.of(
                                "/db", Map.of("up", false, "latency", 12),
                                "/items", List.of(1, 3),
                                "/status", Map.of("x", 1),
                                "/db/up", List.of(true))),
                new Contexts().build());
        assertThat(differ.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(differ.error())
                .contains("json /db:")
                .contains("json /items:")
                .contains("json /status:");
    }

    @Test
    void jsonExpectationsOnABodyThatIsNotJsonOrABadPointerFail() throws Exception {
        ActionResult notJson = action.execute(expectJson("/down-ok", Map.of("/a", 1)), new Contexts().build());
        assertThat(notJson.status()).isEqualTo(ActionResult.Status.FAILED);
        ActionResult badPointer = action.execute(expectJson("/health", Map.of("/db/~9", 1)), new Contexts().build());
        assertThat(badPointer.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(badPointer.error()).contains("/db/~9");
    }
}
