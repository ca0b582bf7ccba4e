package dev.runbook.report;

import dev.runbook.journal.Event;
import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalWriter;
import dev.runbook.template.Masker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Incident logs written with the real {@link JournalWriter} and a {@link MutableClock}, so
 * every byte (and so every golden file) is reproducible.
 */
public final class Fixtures {

    /** Start of {@link #resolved}. */
    public static final Instant RESOLVED_START = Instant.parse("2026-11-21T10:23:45Z");
    /** Start of {@link #rolledBack}. */
    public static final Instant ROLLED_BACK_START = Instant.parse("2026-11-22T08:00:00Z");
    /** Start of {@link #unfinished}. */
    public static final Instant UNFINISHED_START = Instant.parse("2026-11-23T14:00:00Z");
    /** Start of {@link #minor}. */
    public static final Instant MINOR_START = Instant.parse("2026-11-20T09:00:00Z");

    private Fixtures() {}

    /** An ordered {@code sla} object; null targets are left out. */
    static Map<String, Object> sla(String respond, String resolve) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (respond != null) {
            m.put("respond", respond);
        }
        if (resolve != null) {
            m.put("resolve", resolve);
        }
        return m;
    }

    /** A small DSL: events at offsets from the start. */
    static final class Log implements AutoCloseable {
        JournalWriter w;
        final MutableClock clock;
        final Instant start;
        final Path dir;
        final String runbookId;

        Log(Path dir, String runbookId, Instant start) {
            this.start = start;
            this.clock = new MutableClock(start);
            this.dir = dir;
            this.runbookId = runbookId;
        }

        Log at(String offset) {
            clock.at(start, dev.runbook.model.Durations.parse(offset));
            return this;
        }

        Log ev(EventType type, Object... kv) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                if (kv[i + 1] != null) {
                    m.put((String) kv[i], kv[i + 1]);
                }
            }
            w.append(type, m);
            return this;
        }

        Log opened(String id, String title, String sev, Map<String, Object> sla, String env, String mode, String op) {
            Map<String, Object> rb = new LinkedHashMap<>();
            rb.put("id", id);
            rb.put("title", title);
            rb.put("severity", sev);
            rb.put("path", "runbooks/akig/" + id.toLowerCase() + ".yaml");
            rb.put("sha256", "3f5a9c0d1e2b4a6f8c7d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d");
            Map<String, String> targets = sla == null ? null : new LinkedHashMap<>();
            if (sla != null) {
                sla.forEach((k, v) -> targets.put(k, String.valueOf(v)));
            }
            try {
                w = JournalWriter.create(
                        dir,
                        runbookId,
                        start,
                        new Masker(),
                        clock,
                        new Event.IncidentOpened(
                                rb,
                                env,
                                mode,
                                op,
                                "ops-laptop",
                                Map.of("replica_host", "replica-db"),
                                "0.1.0",
                                targets),
                        null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return this;
        }

        Log started(String step, int attempt, String action, String target) {
            return ev(EventType.STEP_STARTED, "step", step, "attempt", attempt, "action", action, "target", target);
        }

        Log finished(String step, int attempt, String status, long ms, Map<String, Object> result, String error) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", step);
            m.put("attempt", attempt);
            m.put("status", status);
            m.put("duration_ms", ms);
            m.put("result", result);
            m.put("error", error);
            w.append(EventType.STEP_FINISHED, m);
            return this;
        }

        Log closed(String outcome) {
            return ev(
                    EventType.INCIDENT_CLOSED,
                    "outcome",
                    outcome,
                    "duration_ms",
                    Duration.between(start, clock.instant()).toMillis());
        }

        Path path() {
            return w.path();
        }

        @Override
        public void close() throws IOException {
            w.close();
        }
    }

    /** P1 RB-P1-003, interactive, SLA 5m/30m: a failed health check, a timeout, a restart, resolved after 6m05s. */
    public static Path resolved(Path dir) throws IOException {
        try (Log l = new Log(dir, "RB-P1-003", RESOLVED_START)) {
            l.opened(
                    "RB-P1-003",
                    "Base de données indisponible",
                    "P1",
                    sla("5m", "30m"),
                    "prod",
                    "interactive",
                    "alice");
            l.at("1m10s")
                    .ev(EventType.OPERATOR_DECISION, "step", "health", "choice", "run", "reason", "alert confirmed");
            l.at("1m11s").started("health", 1, "http", "GET https://api.example.com/api/health");
            l.at("1m12s").finished("health", 1, "failed", 1500, Map.of("status", 503), "status 503, expected 2xx");
            l.at("1m20s").ev(EventType.NOTE, "step", "health", "text", "Backend logs: ECONNREFUSED :5432");
            l.at("1m25s").started("db-version", 1, "sql", "SELECT version()");
            l.at("1m55s").finished("db-version", 1, "timed_out", 30000, null, "timed out after 30s");
            l.at("2m30s")
                    .ev(
                            EventType.OPERATOR_DECISION,
                            "step",
                            "restart-db",
                            "choice",
                            "run",
                            "reason",
                            "primary is down | restart it");
            l.at("2m31s").started("restart-db", 1, "shell", "systemctl restart postgresql");
            l.at("3m01s").finished("restart-db", 1, "succeeded", 30000, Map.of("exit", 0), null);
            l.at("3m10s").started("health", 2, "http", "GET https://api.example.com/api/health");
            l.at("3m10s").finished("health", 2, "succeeded", 420, Map.of("status", 200), null);
            l.at("3m30s").ev(EventType.NOTE, "text", "Service back; watching the error rate");
            l.at("6m05s").closed("resolved");
            return l.path();
        }
    }

    /** P2 RB-P2-007, auto, SLA resolve 10m only: smoke test fails, rollback, resolve SLA breached, rolled back at 12m. */
    public static Path rolledBack(Path dir) throws IOException {
        try (Log l = new Log(dir, "RB-P2-007", ROLLED_BACK_START)) {
            l.opened("RB-P2-007", "Régression après déploiement", "P2", sla(null, "10m"), "prod", "auto", "bob");
            l.at("5s").started("smoke-test", 1, "http", "GET https://api.example.com/api/orders");
            l.at("7s").finished("smoke-test", 1, "failed", 2000, Map.of("status", 500), "status 500, expected 2xx");
            l.at("8s").ev(EventType.ROLLBACK_STARTED, "reason", "smoke-test failed after deploy a1b2c3d");
            l.at("9s").started("redeploy-previous", 1, "shell", "deploy --sha 9f8e7d6");
            l.at("2m09s").finished("redeploy-previous", 1, "succeeded", 120000, Map.of("exit", 0), null);
            l.at("2m11s").started("watch-errors", 1, "wait", "10m");
            l.at("10m01s").ev(EventType.SLA_BREACHED, "sla", "resolve", "elapsed_ms", 601000);
            l.at("11m50s").finished("watch-errors", 1, "succeeded", 579000, null, null);
            l.at("11m51s").ev(EventType.ROLLBACK_FINISHED, "status", "succeeded");
            l.at("12m").closed("rolled_back");
            return l.path();
        }
    }

    /** P1 RB-P1-003 again, cut short by a crash during restart-db: no incident.closed. */
    public static Path unfinished(Path dir) throws IOException {
        try (Log l = new Log(dir, "RB-P1-003", UNFINISHED_START)) {
            l.opened(
                    "RB-P1-003",
                    "Base de données indisponible",
                    "P1",
                    sla("5m", "30m"),
                    "prod",
                    "interactive",
                    "carol");
            l.at("30s").started("health", 1, "http", "GET https://api.example.com/api/health");
            l.at("31s").finished("health", 1, "failed", 800, Map.of("status", 503), "status 503, expected 2xx");
            l.at("1m").started("restart-db", 1, "shell", "systemctl restart postgresql");
            return l.path();
        }
    }

    /** P3 RB-P3-010 without SLA, auto, resolved after 20m; first step at 2m. */
    /**
     * A P1 incident in the given mode ({@code dry-run}, {@code drill}, {@code auto}…), closed with
     * the given outcome after 10 minutes, SLA resolve 30m.
     */
    public static Path exercise(Path dir, String mode, String outcome, Instant start) throws IOException {
        try (Log l = new Log(dir, "RB-P1-001", start)) {
            l.opened("RB-P1-001", "Bug critique", "P1", sla("5m", "30m"), "sandbox", mode, "drill");
            l.at("1m").started("restart-backend", 1, "ssh", "pm2 restart akig-backend");
            l.at("2m").finished("restart-backend", 1, "succeeded", 60_000, Map.of("exit", 0), null);
            l.at("10m").closed(outcome);
            return l.path();
        }
    }

    public static Path minor(Path dir) throws IOException {
        try (Log l = new Log(dir, "RB-P3-010", MINOR_START)) {
            l.opened("RB-P3-010", "Export PDF cassé", "P3", null, "prod", "auto", "dave");
            l.at("2m").started("regenerate", 1, "shell", "bin/pdf-worker restart");
            l.at("19m").finished("regenerate", 1, "succeeded", 1_020_000, Map.of("exit", 0), null);
            l.at("20m").closed("resolved");
            return l.path();
        }
    }

    /** Markup, quotes and an attribute breaker, as a forger would put them in every field. */
    static final String MARKUP = "<img id=\"pwned\" src=x onerror=\"alert(1)\"><script>alert(2)</script>"
            + "\"' onload=\"alert(3)\" ><svg id=\"pwned-svg\" onload=\"alert(4)\"/>&amp;";

    /** A log (chain intact: the forger recomputed it) whose every string field holds {@link #MARKUP}. */
    static Path markupEverywhere(Path dir) throws IOException {
        try (Log l = new Log(dir, "RB-MARKUP", RESOLVED_START)) {
            Map<String, Object> rb = new LinkedHashMap<>();
            rb.put("id", "RB-" + MARKUP);
            rb.put("title", MARKUP);
            rb.put("severity", MARKUP);
            rb.put("path", MARKUP);
            rb.put("sha256", MARKUP);
            l.w = JournalWriter.create(
                    dir,
                    "RB-MARKUP",
                    RESOLVED_START,
                    new Masker(),
                    l.clock,
                    new Event.IncidentOpened(
                            rb,
                            MARKUP,
                            MARKUP,
                            MARKUP,
                            MARKUP,
                            Map.of(MARKUP, MARKUP),
                            MARKUP,
                            Map.of("respond", "5m", "resolve", MARKUP)),
                    null);
            l.at("10s").ev(EventType.STEP_STARTED, "step", MARKUP, "attempt", 1, "action", MARKUP, "target", MARKUP);
            l.at("20s")
                    .ev(
                            EventType.STEP_FINISHED,
                            "step",
                            MARKUP,
                            "attempt",
                            1,
                            "status",
                            MARKUP,
                            "duration_ms",
                            10_000,
                            "result",
                            Map.of(MARKUP, MARKUP),
                            "error",
                            MARKUP);
            l.at("25s").ev(EventType.OPERATOR_DECISION, "step", MARKUP, "choice", MARKUP, "reason", MARKUP);
            l.at("30s").ev(EventType.NOTE, "step", MARKUP, "text", MARKUP);
            l.at("35s").ev(EventType.ROLLBACK_STARTED, "reason", MARKUP);
            l.at("40s").ev(EventType.ROLLBACK_FINISHED, "status", MARKUP);
            l.at("45s").ev(EventType.SLA_BREACHED, "sla", MARKUP, "elapsed_ms", 45_000);
            l.at("60s").ev(EventType.INCIDENT_CLOSED, "outcome", MARKUP, "duration_ms", 60_000);
            return l.w.path();
        }
    }
}
