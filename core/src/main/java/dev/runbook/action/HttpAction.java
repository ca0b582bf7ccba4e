package dev.runbook.action;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Inventory;
import dev.runbook.template.Rendered;
import dev.runbook.template.Renderer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code http} action (contract, "Actions" table): one request with the JDK
 * {@link HttpClient}.
 *
 * <p>The url, header values and body are rendered as plain text. The connect timeout is
 * {@code min(10 s, ctx.timeout())}; the whole exchange, body included, must end by
 * {@code ctx.timeout()}, else the attempt is {@link ActionResult#timedOut timed out}.
 *
 * <p>TLS certificates are always verified, except with {@code insecure: true}: the client
 * then trusts any certificate chain. Host name verification stays on even then, since the
 * JDK client only turns it off when the system property
 * {@code jdk.internal.httpclient.disableHostnameVerification} is set (this class never sets
 * it); use a certificate whose names match the URL's host.
 *
 * <p>Result fields: {@code status} (int), {@code latency_ms} (long, from sending the request
 * to the last byte of the body), {@code body} (text, cut to 64 KiB with a marker),
 * {@code json} (the body parsed into Maps, Lists, strings, numbers, booleans and null;
 * absent when the body is not JSON), {@code headers} (lowercase name → first value).
 *
 * <p>Expect keys: {@code status} (empty list: any 2xx), {@code body_contains} (a template),
 * {@code json} (RFC 6901 JSON Pointer → expected value; numbers compared numerically,
 * other values by equality; string values are templates), {@code max_latency}.
 */
public final class HttpAction implements Action<ActionSpec.Http> {

    /** The most of the body kept in the {@code body} field: 64 KiB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** What ends a body cut at {@link #MAX_BODY_BYTES}. */
    public static final String TRUNCATED_MARKER = "\n[… body truncated at 64 KiB]";

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([^\";\\s]+)");

    /** 30 s. */
    @Override
    public Duration defaultTimeout() {
        return Duration.ofSeconds(30);
    }

    /** {@code METHOD url}, the url rendered and masked. */
    @Override
    public String target(ActionSpec.Http spec, Renderer renderer, Inventory.Environment environment) {
        return method(spec) + " " + renderer.text(spec.url()).display();
    }

    /**
     * Sends the request and checks the expectations.
     *
     * @return succeeded; failed (a bad expectation, with the fields kept, or a request that
     *     could not be made: connection refused, unknown host, TLS error, invalid URL, each
     *     one line naming the masked URL); timed out past {@code ctx.timeout()}
     * @throws InterruptedException when the thread is interrupted; the request is aborted
     */
    @Override
    public ActionResult execute(ActionSpec.Http spec, ActionContext ctx) throws InterruptedException {
        Renderer r = ctx.renderer();
        String method = method(spec);
        Rendered url = r.text(spec.url());
        String shownUrl = method + " " + url.display();
        Duration timeout = HttpSupport.min(ctx.timeout(), ctx.timeout()); // at least 1 ms

        HttpRequest.Builder req;
        try {
            req = HttpRequest.newBuilder(URI.create(url.text())).timeout(timeout);
        } catch (IllegalArgumentException e) {
            return ActionResult.failed(
                    ActionResult.newFields(),
                    "invalid URL in " + shownUrl + ": " + ctx.masker().mask(HttpSupport.firstLine(e.getMessage())));
        }
        try {
            if (spec.headers() != null) {
                spec.headers()
                        .forEach((name, value) -> req.header(name, r.text(value).text()));
            }
            HttpRequest.BodyPublisher body = spec.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(r.text(spec.body()).text());
            req.method(method, body);
        } catch (IllegalArgumentException e) {
            return ActionResult.failed(
                    ActionResult.newFields(),
                    "invalid request " + shownUrl + ": " + ctx.masker().mask(HttpSupport.firstLine(e.getMessage())));
        }

        HttpClient client = HttpSupport.client(spec.insecure(), timeout);
        long start = System.nanoTime();
        HttpSupport.Exchange exchange = HttpSupport.send(client, req.build(), MAX_BODY_BYTES, timeout);
        if (exchange.failure() != null) {
            String msg = shownUrl + ": " + ctx.masker().mask(exchange.failure().reason());
            return exchange.failure().timedOut()
                    ? ActionResult.timedOut(ActionResult.newFields(), msg)
                    : ActionResult.failed(ActionResult.newFields(), msg);
        }
        HttpResponse<HttpSupport.Body> response = exchange.response();
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        Map<String, Object> fields = ActionResult.newFields();
        fields.put("status", response.statusCode());
        fields.put("latency_ms", latencyMs);
        HttpSupport.Body b = response.body();
        String text = new String(b.bytes(), charset(response.headers()));
        fields.put("body", b.truncated() ? text + TRUNCATED_MARKER : text);
        Object json = b.truncated() ? null : parseJson(text);
        if (json != null) {
            fields.put("json", json);
        }
        fields.put("headers", headers(response.headers()));

        List<String> problems = check(spec, r, response.statusCode(), latencyMs, text, json, b.truncated());
        if (!problems.isEmpty()) {
            return ActionResult.failed(fields, ctx.masker().mask(String.join("; ", problems)));
        }
        return ActionResult.ok(fields);
    }

    private static String method(ActionSpec.Http spec) {
        return spec.method() == null || spec.method().isBlank()
                ? "GET"
                : spec.method().toUpperCase(Locale.ROOT);
    }

    private static List<String> check(
            ActionSpec.Http spec, Renderer r, int status, long latencyMs, String body, Object json, boolean truncated) {
        List<String> problems = new ArrayList<>();
        List<Integer> want = spec.expectStatus() == null ? List.of() : spec.expectStatus();
        if (want.isEmpty() ? status < 200 || status > 299 : !want.contains(status)) {
            String expected = want.isEmpty()
                    ? "a 2xx status"
                    : want.size() == 1 ? "status " + want.get(0) : "status one of " + want;
            problems.add("expected " + expected + ", got " + status);
        }
        if (spec.bodyContains() != null) {
            Rendered needle = r.text(spec.bodyContains());
            if (!body.contains(needle.text())) {
                problems.add("body does not contain \"" + needle.display() + "\"");
            }
        }
        if (spec.json() != null && !spec.json().isEmpty()) {
            if (json == null) {
                problems.add(truncated ? "json: the body is over 64 KiB, not checked" : "json: the body is not JSON");
            } else {
                JsonNode tree = JSON.valueToTree(json);
                spec.json().forEach((pointer, expectedRaw) -> {
                    Object expected =
                            expectedRaw instanceof String s ? r.text(s).text() : expectedRaw;
                    String problem = checkPointer(tree, pointer, expected);
                    if (problem != null) {
                        problems.add(problem);
                    }
                });
            }
        }
        if (spec.maxLatency() != null && latencyMs > spec.maxLatency().toMillis()) {
            problems.add("latency " + latencyMs + "ms over max_latency "
                    + dev.runbook.model.Durations.format(spec.maxLatency()));
        }
        return problems;
    }

    private static String checkPointer(JsonNode tree, String pointer, Object expected) {
        JsonPointer ptr;
        try {
            ptr = JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            return "json: invalid JSON Pointer \"" + pointer + "\" (write /a/0/b)";
        }
        JsonNode node = tree.at(ptr);
        if (node.isMissingNode()) {
            return "json " + pointer + ": missing, expected " + show(expected);
        }
        Object actual = JSON.convertValue(node, Object.class);
        if (!sameValue(expected, actual)) {
            return "json " + pointer + ": expected " + show(expected) + ", got " + show(actual);
        }
        return null;
    }

    /**
     * JSON-like equality: numbers compared numerically (a numeric string expectation too),
     * maps and lists deeply, everything else with {@link Objects#equals}.
     */
    static boolean sameValue(Object expected, Object actual) {
        if (actual instanceof Number a) {
            BigDecimal e =
                    expected instanceof Number n ? decimal(n) : expected instanceof String s ? parseDecimal(s) : null;
            return e != null && decimal(a) != null && e.compareTo(decimal(a)) == 0;
        }
        if (expected instanceof Map<?, ?> em && actual instanceof Map<?, ?> am) {
            if (!em.keySet().equals(am.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> en : em.entrySet()) {
                if (!sameValue(en.getValue(), am.get(en.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof List<?> el && actual instanceof List<?> al) {
            if (el.size() != al.size()) {
                return false;
            }
            for (int i = 0; i < el.size(); i++) {
                if (!sameValue(el.get(i), al.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(expected, actual);
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        return new BigDecimal(n.toString());
    }

    private static BigDecimal parseDecimal(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String show(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        return Renderer.stringify(v);
    }

    /** The body as plain Java values when it is JSON, else null. */
    private static Object parseJson(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return null;
        }
        char c = t.charAt(0);
        if (c != '{'
                && c != '['
                && c != '"'
                && c != '-'
                && !Character.isDigit(c)
                && !t.equals("true")
                && !t.equals("false")
                && !t.equals("null")) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(t);
            return node == null || node.isMissingNode() ? null : JSON.convertValue(node, Object.class);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Charset charset(HttpHeaders headers) {
        return headers.firstValue("content-type")
                .map(ct -> {
                    Matcher m = CHARSET.matcher(ct);
                    if (m.find()) {
                        try {
                            return Charset.forName(m.group(1));
                        } catch (IllegalArgumentException e) {
                            return StandardCharsets.UTF_8;
                        }
                    }
                    return StandardCharsets.UTF_8;
                })
                .orElse(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> headers(HttpHeaders headers) {
        Map<String, Object> out = new LinkedHashMap<>();
        headers.map().forEach((name, values) -> {
            if (!name.startsWith(":") && !values.isEmpty()) {
                out.putIfAbsent(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return out;
    }
}
