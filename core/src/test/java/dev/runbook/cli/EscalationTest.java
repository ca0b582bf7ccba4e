package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.runbook.console.Terminal;
import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Escalation tiers and SLA breaches on the clock, during a long step and during a prompt, and the
 * posts to chat channels received by a loopback webhook (Slack's format and the generic one): a
 * webhook that answers 500 then 200, one that never answers.
 */
class EscalationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger flakyCalls = new AtomicInteger();

    @BeforeEach
    void webhooks() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", x -> {
            received.add(JSON.readTree(x.getRequestBody()));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.createContext("/flaky", x -> {
            int n = flakyCalls.incrementAndGet();
            JsonNode body = JSON.readTree(x.getRequestBody());
            if (n == 1) {
                x.sendResponseHeaders(500, -1);
            } else {
                received.add(body);
                x.sendResponseHeaders(200, -1);
            }
            x.close();
        });
        server.createContext("/silent", x -> {
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        Files.writeString(dir.resolve("environments.yaml"), """
                environments:
                  chat:
                    channels:
                      ic: {webhook: "${secrets.IC_HOOK}", format: slack}
                      ops: {webhook: %s/hook, format: json}
                      flaky: {webhook: %s/flaky, format: slack, timeout: 2s}
                      silent: {webhook: %s/silent, format: slack, timeout: 300ms}
                """.formatted(base, base, base));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String hook() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private Path runbook(String body) throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, "id: RB-ESC\ntitle: Escalation\nseverity: P1\nsecrets: [IC_HOOK]\n" + body);
        return rb;
    }

    private Path log() throws Exception {
        return CliRun.onlyLog(dir.resolve("logs"));
    }

    private List<JournalReader.Event> events(EventType type) throws Exception {
        return JournalReader.read(log()).stream().filter(e -> type.is(e.type())).toList();
    }

    @Test
    void tiersAndTheSlaFireDuringALongStepAndArePosted() throws Exception {
        Path rb = runbook("""
                sla: {resolve: 1500ms}
                escalation:
                  - {after: 1s, notify: "L2: ${incident.id} has no mitigation after 1s", to: ic}
                  - {after: 2500ms, notify: "L3 never", unless: "steps.long.outcome == 'succeeded'", to: ic}
                updates: {channel: ops, on: [opened, escalation, sla, closed]}
                steps:
                  - id: long
                    shell: sleep 2
                  - id: pause
                    wait: 1s
                """);
        CliRun r = CliRun.with()
                .env("IC_HOOK", hook())
                .run(
                        "run",
                        rb.toString(),
                        "--yes",
                        "--env",
                        "chat",
                        "--log-dir",
                        dir.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("▶▶ ESCALATION L1 (1s since the incident opened): L2: ")
                .contains("▶▶ SLA resolve BREACHED")
                .doesNotContain("▶▶ ESCALATION L2");
        assertThat(r.out().indexOf("ESCALATION L1"))
                .as("during the long step")
                .isLessThan(r.out().indexOf("[2/2]"));
        assertThat(r.out().indexOf("SLA resolve BREACHED"))
                .as("during the long step")
                .isLessThan(r.out().indexOf("[2/2]"));
        assertThat(events(EventType.ESCALATION_TRIGGERED))
                .extracting(e -> e.num("level"))
                .containsExactly(1L);
        List<JsonNode> slack = received.stream().filter(j -> j.size() == 1).toList();
        assertThat(slack)
                .extracting(j -> j.get("text").asText())
                .anySatisfy(t -> assertThat(t).startsWith("L2: 2").contains("-RB-ESC has no mitigation"));
        List<JsonNode> generic = received.stream().filter(j -> j.has("event")).toList();
        assertThat(generic).extracting(j -> j.get("event").asText()).contains("opened", "escalation", "sla", "closed");
        assertThat(generic)
                .allSatisfy(j -> assertThat(j.get("incident").asText()).endsWith("-RB-ESC"));
        assertThat(generic.stream().filter(j -> j.get("event").asText().equals("closed")))
                .singleElement()
                .satisfies(j -> assertThat(j.get("text").asText()).contains("RÉSOLU"));
        assertThat(events(EventType.NOTIFICATION_POSTED))
                .allSatisfy(e -> assertThat(e.fields().get("delivered")).isEqualTo(true));
        assertThat(Files.readString(log()))
                .as("the webhook secret never in the log")
                .doesNotContain(hook());
        assertThat(JournalVerifier.verify(log()).ok()).isTrue();
        List<JournalReader.Event> all = JournalReader.read(log());
        assertThat(all.get(all.size() - 1).type()).isEqualTo("incident.closed");
    }

    @Test
    void anEscalationFiresWhileThePromptWaits() throws Exception {
        Path rb = runbook("""
                escalation:
                  - {after: 500ms, notify: "IC please join", to: ic}
                steps:
                  - id: ask
                    shell: echo ok
                """);
        PipedWriter typing = new PipedWriter();
        BufferedReader in = new BufferedReader(new PipedReader(typing));
        StringWriter out = new StringWriter();
        Map<String, String> env = new HashMap<>(Map.of("NO_COLOR", "1", "IC_HOOK", hook()));
        Terminal t = new Terminal(
                in, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), true, env, false);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            String[] args = {
                "run",
                rb.toString(),
                "--env",
                "chat",
                "--log-dir",
                dir.resolve("logs").toString()
            };
            Future<Integer> run = ex.submit(() -> Cli.create(t, args).execute(args));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!out.toString().contains("ESCALATION L1") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(out.toString()).as("banner while the prompt waits").contains("ESCALATION L1");
            assertThat(out.toString().indexOf("Run step 1/1 ask?"))
                    .as("the prompt came first")
                    .isLessThan(out.toString().indexOf("ESCALATION L1"));
            assertThat(out.toString().lastIndexOf("Run step 1/1 ask?"))
                    .as("the prompt shown again under the banner")
                    .isGreaterThan(out.toString().indexOf("ESCALATION L1"));
            typing.write("\n");
            typing.flush();
            assertThat(run.get(20, TimeUnit.SECONDS)).isZero();
        } finally {
            ex.shutdownNow();
        }
        assertThat(received).extracting(j -> j.get("text").asText()).contains("IC please join");
    }

    @Test
    void aWebhookThatFailsOnceIsRetriedAndOneThatNeverAnswersIsReportedNotPosted() throws Exception {
        Path rb = runbook("""
                steps:
                  - id: tell
                    notify: {message: "status page updated", channel: flaky}
                  - id: shout
                    notify: {message: "nobody hears this", channel: silent}
                    on_failure: continue
                  - id: local
                    notify: "printed here"
                """);
        CliRun r = CliRun.with()
                .env("IC_HOOK", hook())
                .run(
                        "run",
                        rb.toString(),
                        "--yes",
                        "--env",
                        "chat",
                        "--log-dir",
                        dir.resolve("logs").toString());

        assertThat(r.out())
                .contains("posted to flaky")
                .contains("not posted to silent after 3 attempts")
                .contains("printed only: no channel");
        assertThat(flakyCalls.get()).isEqualTo(2);
        assertThat(received).extracting(j -> j.get("text").asText()).containsExactly("status page updated");
        List<JournalReader.Event> finished = events(EventType.STEP_FINISHED);
        assertThat(finished.get(0).fields().get("result")).asString().contains("attempts=2");
        assertThat(finished.get(1).str("status")).isEqualTo("failed");
        assertThat(finished.get(1).str("error")).contains("answer within 300ms").doesNotContain("/silent");
        assertThat(finished.get(2).fields().get("result")).asString().contains("printed_only=true");
        assertThat(r.code())
                .as("a step failed and the walk went on: not verified")
                .isZero();
    }

    @Test
    void anUnknownChannelIsRefusedBeforeAnythingRuns() throws Exception {
        Path rb = runbook("""
                escalation:
                  - {after: 5m, notify: "L2", to: nowhere}
                steps:
                  - id: one
                    shell: echo one
                """);
        CliRun r = CliRun.with()
                .env("IC_HOOK", hook())
                .run(
                        "run",
                        rb.toString(),
                        "--yes",
                        "--env",
                        "chat",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err())
                .contains("channel 'nowhere' is not declared by environment 'chat'")
                .contains("ic, ops, flaky, silent");
        assertThat(Files.exists(dir.resolve("logs"))).isFalse();
    }

    @Test
    void logStatusPostsFromTheCommandLine() throws Exception {
        Path rb = runbook("steps:\n  - id: one\n    shell: echo one\n");
        CliRun run = CliRun.with()
                .env("IC_HOOK", hook())
                .run(
                        "run",
                        rb.toString(),
                        "--yes",
                        "--env",
                        "chat",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(run.code()).as(run.toString()).isZero();
        String id = log().getFileName().toString().replace(".jsonl", "");

        CliRun r = CliRun.with()
                .env("IC_HOOK", hook())
                .run(
                        "log",
                        "status",
                        id,
                        "--template",
                        "resolution",
                        "--post",
                        "ic",
                        "--inventory",
                        dir.resolve("environments.yaml").toString(),
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("posted to ic (slack)");
        assertThat(received)
                .singleElement()
                .satisfies(j -> assertThat(j.get("text").asText()).contains("INCIDENT P1 - Escalation"));
        assertThat(new String(Files.readAllBytes(log()), StandardCharsets.UTF_8))
                .doesNotContain(hook());
    }

    @Test
    void aTriageReclassifiesTheIncidentAndTheClockFollows() throws Exception {
        Path rb = runbook("""
                sla: {resolve: 1s, P3: {resolve: 1h}}
                escalation:
                  - {after: 1500ms, notify: "only while P1", severity: [P1]}
                  - {after: 1500ms, notify: "any severity"}
                steps:
                  - id: triage
                    choose:
                      question: Severity?
                      options: [{label: "Low → P3"}, {label: "High → P1"}]
                      default: "Low → P3"
                    severity: ${steps.triage.choice}
                  - id: long
                    shell: sleep 2
                  - id: says
                    shell: echo "now ${incident.severity}"
                """);
        CliRun r = CliRun.with()
                .env("IC_HOOK", hook())
                .run(
                        "run",
                        rb.toString(),
                        "--yes",
                        "--log-dir",
                        dir.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("⚑ severity P1 → P3 (step 'triage'); SLA resolve now 1h")
                .contains("now P3");
        assertThat(events(EventType.INCIDENT_SEVERITY_CHANGED)).singleElement().satisfies(e -> {
            assertThat(e.str("from")).isEqualTo("P1");
            assertThat(e.str("to")).isEqualTo("P3");
            assertThat(e.fields().get("sla")).isEqualTo(Map.of("resolve", "1h"));
        });
        assertThat(events(EventType.SLA_BREACHED))
                .as("the P1 target no longer applies")
                .isEmpty();
        assertThat(events(EventType.ESCALATION_TRIGGERED))
                .extracting(e -> e.str("message"))
                .containsExactly("any severity");
        CliRun show = CliRun.run("log", "show", log().toString());
        assertThat(show.out()).contains("(P1 → P3)").contains("SLA resolve 1h: met");
    }
}
