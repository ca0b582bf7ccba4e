package dev.runbook.sandbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fault registry: every fault of the sandbox (docs/sandbox.md lists them with the
 * runbook that fixes each), and which ones were injected. A fault is <em>active</em> while it
 * was injected and its symptom is still observable; a runbook that repaired the service makes
 * it inactive without anybody calling {@link #clear}. Thread-safe.
 */
public final class Faults {

    /** Extra latency of {@code api-slow}, in ms: above RB-P2-001's 300 ms threshold. */
    public static final long SLOW_MS = 1500;
    /** The latency (ms) of {@code GET /api/health} above which the API counts as slow (RB-P2-001's 300 ms). */
    public static final long SLOW_THRESHOLD_MS = 300;
    /**
     * How long Stripe's outage lasts ({@code stripe-webhooks-failing}): Stripe comes back by itself;
     * the runbook must have put payments in maintenance meanwhile and must bring them back after.
     */
    public static final java.time.Duration STRIPE_OUTAGE = java.time.Duration.ofSeconds(2);
    /** Failed webhooks inserted by {@code stripe-webhooks-failing} (the view's ALERT is above 5 %). */
    public static final int FAILED_WEBHOOKS = 12;

    private final Map<String, Fault> all = new LinkedHashMap<>();
    private final Set<String> injected = Collections.synchronizedSet(new LinkedHashSet<>());

    /** The registry with the standard faults. */
    public Faults() {
        add(new Fault(
                "api-down",
                "the AKIG backend process is dead: GET /api/health answers 503 until"
                        + " pm2/systemctl restart akig-backend",
                "RB-P1-001",
                s -> s.services().stopBackend("killed (fault api-down)"),
                s -> s.services().restartBackend(),
                s -> s.httpStatus("GET", "/api/health") != 200));
        add(new Fault(
                "api-slow",
                "every /api answer takes " + SLOW_MS + " ms (threshold 300 ms) until the"
                        + " backend workers are restarted",
                "RB-P2-001",
                s -> s.services().latencyMs(SLOW_MS),
                s -> s.services().latencyMs(0),
                s -> s.probe("GET", "/api/health").latencyMs() > SLOW_THRESHOLD_MS));
        add(new Fault(
                "db-down",
                "PostgreSQL is stopped: /api/contracts answers 503 \"Database connection failed\""
                        + " until systemctl restart postgresql",
                "RB-P1-003",
                s -> s.database().stop(),
                Faults::startDatabase,
                s -> !s.database().reachable()));
        add(new Fault(
                "auth-broken",
                "JWT_SECRET of the servers' .env was changed and loaded: 401 on every"
                        + " /api call until the secret is restored from env.production and the backend restarted",
                "RB-P1-002",
                s -> {
                    s.services().envFileSecret("rotated-by-mistake");
                    s.services().loadedSecret("rotated-by-mistake");
                    s.services().log("JsonWebTokenError: invalid signature");
                },
                s -> {
                    s.services().envFileSecret(Services.GOOD_SECRET);
                    s.services().loadedSecret(Services.GOOD_SECRET);
                },
                s -> s.httpStatus("GET", "/api/contracts") != 200));
        add(new Fault(
                "memory-leak",
                "the backend's memory grows by 20 MB/s from 650 MB (alert 600 MB,"
                        + " health 503 above 1000 MB) until the backend is restarted",
                "RB-P2-002",
                s -> s.services().startLeak(),
                s -> s.services().restartBackend(),
                s -> {
                    Sandbox.Answer a = s.probe("GET", "/api/health");
                    long mb = a.jsonNumber("memory_mb");
                    return a.status() != 200 || mb < 0 || mb > Services.ALERT_MEMORY_MB;
                }));
        add(new Fault(
                "stripe-webhooks-failing",
                "Stripe is down for " + STRIPE_OUTAGE.toSeconds() + " s: webhooks fail (stripe_webhook_monitoring"
                        + " in ALERT), /api/payments/health answers 502 (maintenance once premium_subscriptions is"
                        + " off and payments_maintenance_mode on); payments are back only when Stripe is up and"
                        + " both flags are restored",
                "CS-P1-STRIPE-DOWN",
                Faults::failStripe,
                Faults::restoreStripe,
                s -> {
                    Sandbox.Answer a = s.probe("GET", "/api/payments/health");
                    return a.status() != 200 || !a.body().contains("\"status\":\"ok\"");
                }));
        add(new Fault(
                "rls-leak",
                "policy matches_owner is replaced by one USING (true): a CrewSnow user sees"
                        + " another user's matches until the policies are re-applied (supabase db reset)",
                "CS-P1-RLS-LEAK",
                s -> sql(
                        s,
                        "DROP POLICY IF EXISTS matches_owner ON matches;"
                                + " CREATE POLICY matches_debug ON matches USING (true)"),
                s -> sql(
                        s,
                        "DROP POLICY IF EXISTS matches_debug ON matches; DROP POLICY IF EXISTS matches_owner"
                                + " ON matches; CREATE POLICY matches_owner ON matches"
                                + " USING (user_id = current_setting('app.user_id', true)::int)"),
                s -> !ownRowsOnly(s)));
        add(new Fault(
                "supabase-5xx",
                "Supabase is overloaded: the heavy Edge Functions (recommendations, tracker-sync) answer 503"
                        + " after 4 s until their flags (collaborative_filtering_v2, tracker_pro) are off",
                "CS-P1-SUPABASE-5XX",
                s -> sql(s, "INSERT INTO sandbox_faults VALUES ('supabase-5xx') ON CONFLICT DO NOTHING"),
                s -> sql(s, "DELETE FROM sandbox_faults WHERE fault = 'supabase-5xx'"),
                s -> EDGE_FUNCTIONS.stream().anyMatch(f -> s.httpStatus("GET", "/functions/v1/" + f) != 200)));
        add(new Fault(
                "flag-regression",
                "a new tracker_pro release breaks its Edge Function: tracker-sync times out with 503 while"
                        + " the flag tracker_pro is on",
                "CS-FEATURE-FLAG-ROLLBACK",
                s -> sql(s, "INSERT INTO sandbox_faults VALUES ('flag-regression') ON CONFLICT DO NOTHING"),
                s -> sql(s, "DELETE FROM sandbox_faults WHERE fault = 'flag-regression'"),
                s -> s.httpStatus("GET", "/functions/v1/tracker-sync") != 200));
        add(new Fault(
                "db-corruption",
                "a bad release's migration deleted rows of matches: make_launch_decision() says NO-GO until"
                        + " the database is restored from the sandbox's last good backup (pg_restore)",
                "CS-ROLLBACK-VERSION",
                s -> sql(s, "DELETE FROM matches WHERE user_id = 2"),
                s -> sql(s, "INSERT INTO matches SELECT * FROM matches_backup ON CONFLICT DO NOTHING"),
                s -> !dataIntact(s)));
        add(new Fault(
                "sms-email-outage",
                "Twilio is down: its status JSON says major, SMS tests answer 502 and " + QUEUED_SMS
                        + " SMS wait in notification_queue until SMS are routed to SendGrid (fallback) and the"
                        + " queue is replayed",
                "RB-P2-003",
                s -> akigSql(
                        s,
                        "UPDATE provider_status SET up = false WHERE provider = 'twilio';"
                                + " INSERT INTO notification_queue (channel, recipient) SELECT 'sms', '+3360000' || n"
                                + " FROM generate_series(1000, 999 + " + QUEUED_SMS + ") n"),
                s -> akigSql(
                        s,
                        "UPDATE provider_status SET up = true; UPDATE notification_routing SET provider = 'twilio'"
                                + " WHERE channel = 'sms'; SELECT process_notification_queue()"),
                s -> s.probe("POST", "/api/notifications/test").status() != 200 || pendingSms(s) != 0));
        add(new Fault(
                "frontend-down",
                "the frontend's build is gone: /front answers 502 (page blanche) until npm run build in the"
                        + " frontend directory and pm2 restart akig-frontend",
                "RB-P1-001",
                s -> s.services().breakFrontend(),
                s -> {
                    s.services().buildFrontend();
                    s.services().restartFrontend();
                },
                s -> s.httpStatus("GET", "/front/") != 200));
        add(new Fault(
                "replica-failover",
                "the primary PostgreSQL is down and will not start again (damaged data directory):"
                        + " /api/contracts answers 503 until the backend's DATABASE_URL names the replica"
                        + " (127.0.0.1, the next port) and the backend is restarted with --update-env",
                "RB-P1-003",
                s -> {
                    s.replica();
                    s.services().primaryBroken(true);
                    s.database().stop();
                },
                s -> {
                    s.services().primaryBroken(false);
                    startDatabase(s);
                    s.services().backendDatabase(Services.BackendDatabase.PRIMARY);
                },
                s -> s.httpStatus("GET", "/api/contracts") != 200));
        add(new Fault(
                "k8s-service-down",
                "the generic service's deployment 'api' crash-loops: /service/health answers 503 until"
                        + " kubectl rollout restart (or undo) deployment/api in context sandbox, namespace default",
                "GEN-K8S-SERVICE",
                s -> s.services().apiOnline(false),
                s -> s.services().apiOnline(true),
                s -> s.httpStatus("GET", "/service/health") != 200));
        add(new Fault(
                "bad-deploy",
                "the newest commit was deployed and the app answers 500 on /app/health until the CI"
                        + " pipeline's rollback job redeploys a known-good commit (an unknown SHA is refused)",
                "ROLLBACK-GIT-SHA",
                s -> s.services().appRelease(Services.COMMITS.get(0)),
                s -> s.services().appRelease(Services.COMMITS.get(1)),
                s -> s.httpStatus("GET", "/app/health") != 200));
    }

    /** The Edge Functions the sandbox serves under {@code /functions/v1/NAME}. */
    public static final List<String> EDGE_FUNCTIONS =
            List.of("matching", "messaging", "recommendations", "tracker-sync", "stripe-webhook");

    private void add(Fault f) {
        all.put(f.name(), f);
    }

    /** Every fault, in documentation order. */
    public List<Fault> all() {
        return new ArrayList<>(all.values());
    }

    /** The fault with this name. */
    public Optional<Fault> get(String name) {
        return Optional.ofNullable(all.get(name));
    }

    /** Names of the injected faults, in injection order (fixed ones included). */
    public List<String> injected() {
        synchronized (injected) {
            return new ArrayList<>(injected);
        }
    }

    /** Marks a fault injected (the caller ran its {@code inject}). */
    void markInjected(String name) {
        injected.add(name);
    }

    /** Forgets an injected fault (the caller ran its {@code clear}, or reset). */
    void forget(String name) {
        injected.remove(name);
    }

    /** Forgets every injected fault. */
    void forgetAll() {
        injected.clear();
    }

    private static void startDatabase(Sandbox s) {
        try {
            s.database().start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("PostgreSQL did not start: " + e.getMessage(), e);
        }
    }

    private static void failStripe(Sandbox s) {
        s.services().stripeDownUntil(java.time.Instant.now().plus(STRIPE_OUTAGE));
        sql(
                s,
                "INSERT INTO sandbox_faults VALUES ('stripe-outage', now() + interval '" + STRIPE_OUTAGE.toMillis()
                        + " milliseconds') ON CONFLICT (fault) DO UPDATE SET until = EXCLUDED.until;"
                        + " INSERT INTO stripe_webhook_events (event_type, status) SELECT 'invoice.paid', 'failed'"
                        + " FROM generate_series(1, " + FAILED_WEBHOOKS + ")");
    }

    private static void restoreStripe(Sandbox s) {
        s.services().stripeDownUntil(null);
        sql(
                s,
                "DELETE FROM sandbox_faults WHERE fault = 'stripe-outage';"
                        + " DELETE FROM stripe_webhook_events WHERE status = 'failed';"
                        + " SELECT update_feature_flag('premium_subscriptions', true);"
                        + " SELECT update_feature_flag('payments_maintenance_mode', false)");
    }

    /**
     * The RLS probe, fail-closed: as user 2 (role {@code crewsnow_user}, {@code app.user_id = 2}),
     * the query of their own matches must succeed, return their rows, and return no other user's
     * row. An error (a dropped table, revoked access, a missing policy that hides everything) is
     * "not fixed", never "no leak".
     */
    static boolean ownRowsOnly(Sandbox s) {
        try (Connection c = s.database().connect(Sandbox.CREWSNOW_DB);
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SET LOCAL ROLE crewsnow_user");
            st.execute("SET LOCAL app.user_id = '2'");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE user_id = 2),"
                    + " count(*) FILTER (WHERE user_id <> 2) FROM matches")) {
                rs.next();
                boolean ok = rs.getInt(1) > 0 && rs.getInt(2) == 0;
                c.rollback();
                return ok;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** SMS messages queued by {@code sms-email-outage}. */
    public static final int QUEUED_SMS = 1500;

    /** Pending SMS in notification_queue; -1 when the database does not answer. */
    private static int pendingSms(Sandbox s) {
        try (Connection c = s.database().connect(Sandbox.AKIG_DB);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM notification_queue WHERE channel = 'sms' AND status = 'pending'")) {
            return rs.next() ? rs.getInt(1) : -1;
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Every row of the backup is in {@code matches}; false when the database does not answer. */
    private static boolean dataIntact(Sandbox s) {
        try (Connection c = s.database().connect(Sandbox.CREWSNOW_DB);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT NOT EXISTS (SELECT * FROM matches_backup EXCEPT SELECT * FROM matches)")) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void sql(Sandbox s, String statements) {
        sql(s, Sandbox.CREWSNOW_DB, statements);
    }

    private static void akigSql(Sandbox s, String statements) {
        sql(s, Sandbox.AKIG_DB, statements);
    }

    private static void sql(Sandbox s, String database, String statements) {
        try (Connection c = s.database().connect(database);
                Statement st = c.createStatement()) {
            st.execute(statements);
        } catch (SQLException e) {
            throw new IllegalStateException("sandbox database: " + e.getMessage(), e);
        }
    }
}
