package dev.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.runbook.model.ActionSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link NotifyAction} posting to a real JDK HTTP server. */
class NotifyActionTest {

    private static final String HOOK_SECRET = "T0K3N-very-secret";
    private static HttpServer server;
    private static String base;
    private static final Map<String, String> RECEIVED = new ConcurrentHashMap<>();

    private final NotifyAction action = new NotifyAction();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks/" + HOOK_SECRET, ex -> {
            try (InputStream in = ex.getRequestBody()) {
                RECEIVED.put("body", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            RECEIVED.put("method", ex.getRequestMethod());
            RECEIVED.put("content-type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            HttpActionTest.send(ex, 200, "ok");
        });
        server.createContext("/broken", ex -> HttpActionTest.send(ex, 500, "boom"));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void postsTheMessageAsJsonAndShowsEachLine() throws Exception {
        Contexts c = new Contexts().input("svc", "akig").secret("HOOK", HOOK_SECRET);
        ActionSpec.Notify spec = new ActionSpec.Notify(
                "Failover done for ${inputs.svc}\nsecond line", base + "/hooks/${secrets.HOOK}", null);

        ActionResult r = action.execute(spec, c.build());

        assertThat(r.error()).isNull();
        assertThat(r.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(r.fields()).containsEntry("text", "Failover done for akig\nsecond line");
        assertThat(RECEIVED).containsEntry("method", "POST").containsEntry("content-type", "application/json");
        assertThat(new ObjectMapper().readTree(RECEIVED.get("body")))
                .isEqualTo(new ObjectMapper().valueToTree(Map.of("text", "Failover done for akig\nsecond line")));
        assertThat(c.output.lines).containsExactly("notify: Failover done for akig", "notify: second line");
    }

    @Test
    void theTargetNeverShowsTheWebhook() {
        Contexts c = new Contexts().input("svc", "akig").secret("HOOK", HOOK_SECRET);
        ActionSpec.Notify secretHook =
                new ActionSpec.Notify("Failover done for ${inputs.svc}\nmore", base + "/hooks/${secrets.HOOK}", null);
        ActionSpec.Notify plainHook = new ActionSpec.Notify("hello", "https://hooks.example.com/" + HOOK_SECRET, null);

        assertThat(action.target(secretHook, c.renderer(), null))
                .isEqualTo("Failover done for akig → webhook")
                .doesNotContain(HOOK_SECRET);
        assertThat(action.target(plainHook, new Contexts().renderer(), null)).isEqualTo("hello → webhook");
        assertThat(action.target(new ActionSpec.Notify("just text", null, null), c.renderer(), null))
                .isEqualTo("just text");
    }

    @Test
    void aNon2xxAnswerFails() throws Exception {
        ActionResult r = action.execute(new ActionSpec.Notify("hi", base + "/broken", null), new Contexts().build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).isEqualTo("not posted to webhook after 3 attempts: HTTP 500");
        assertThat(r.fields()).containsEntry("text", "hi");
    }

    @Test
    void anUnreachableWebhookFailsWithoutNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Contexts c = new Contexts().secret("HOOK", HOOK_SECRET);
        ActionSpec.Notify spec =
                new ActionSpec.Notify("hi", "http://127.0.0.1:" + port + "/hooks/${secrets.HOOK}", null);

        ActionResult r = action.execute(spec, c.build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).isEqualTo("not posted to webhook after 3 attempts: connection refused");
    }

    @Test
    void withoutWebhookItOnlyShowsTheMessage() throws Exception {
        Contexts c = new Contexts().secret("PW", "pa55word");
        ActionResult r = action.execute(new ActionSpec.Notify("password is ${secrets.PW}", null, null), c.build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(r.fields()).containsEntry("text", "password is ****");
        assertThat(c.output.lines).containsExactly("notify: password is ****");
    }
}
