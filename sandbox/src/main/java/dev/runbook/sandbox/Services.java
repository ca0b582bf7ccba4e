package dev.runbook.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The emulated application stack's mutable state, shared by the HTTP app, the SSH command
 * emulator and the faults: the AKIG backend under pm2 (running, latency, memory, the JWT
 * secret it loaded), its {@code .env} on disk, Stripe's state and the Redis cache.
 * Thread-safe (all methods synchronized); times from the given clock.
 */
public final class Services {

    /** The JWT secret of the backup {@code env.production} (the right one). */
    public static final String GOOD_SECRET = "sandbox-jwt-secret-2026";
    /** The git refs of the servers' clone: {@code main} and the release tags. */
    public static final List<String> KNOWN_REFS = List.of("main", "v1.0.0", "v1.1.0", "v1.2.0");

    /**
     * The 20 commits of the CI repository ({@code ci_repo}), newest first: SHA-1 of "sandbox commit
     * N". The newest is the defective release of {@code bad-deploy}; the app runs the one before.
     */
    public static final List<String> COMMITS = commits();

    private static List<String> commits() {
        List<String> l = new ArrayList<>();
        try {
            java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
            for (int n = 20; n >= 1; n--) {
                l.add(java.util.HexFormat.of()
                        .formatHex(sha1.digest(
                                ("sandbox commit " + n).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return List.copyOf(l);
    }

    /**
     * The full SHA of a known commit given by a prefix of 7 to 40 hex digits.
     *
     * @return the SHA, or null when no commit (or more than one) has that prefix
     */
    public static String commit(String prefix) {
        if (prefix == null || !prefix.matches("[0-9a-f]{7,40}")) {
            return null;
        }
        List<String> m = COMMITS.stream().filter(c -> c.startsWith(prefix)).toList();
        return m.size() == 1 ? m.get(0) : null;
    }

    /** Memory (MB) of a fresh backend process. */
    public static final int BASE_MEMORY_MB = 180;
    /** Memory (MB) above which RB-P2-002 alerts (seed: "Alert si > 600MB"). */
    public static final int ALERT_MEMORY_MB = 600;
    /** Memory (MB) above which the health check answers 503. */
    public static final int FAILING_MEMORY_MB = 1000;

    private static final int LOG_LINES = 200;

    private final Clock clock;
    private boolean backendOnline;
    private long latencyMs;
    private Instant leakSince;
    private String envFileSecret;
    private String loadedSecret;
    private Instant stripeDownUntil;
    private int redisKeys;
    private int backendRestarts;
    private String deployedRef;
    private String appRelease;
    private final List<String> ciRuns = new ArrayList<>();
    private BackendDatabase backendDatabase;
    private boolean primaryBroken;
    private boolean frontendBuilt;
    private boolean frontendOnline;
    private boolean apiOnline;
    private int apiReplicas;
    private final Deque<String> journal = new ArrayDeque<>();

    /** @param clock the time source of the memory leak and the journal */
    public Services(Clock clock) {
        this.clock = clock;
        reset();
    }

    /** Back to a healthy stack: backend online, fast, right secret, Stripe up, cache warm. */
    public synchronized void reset() {
        backendOnline = true;
        latencyMs = 0;
        leakSince = null;
        envFileSecret = GOOD_SECRET;
        loadedSecret = GOOD_SECRET;
        stripeDownUntil = null;
        redisKeys = 42;
        backendRestarts = 0;
        deployedRef = "main";
        backendDatabase = BackendDatabase.PRIMARY;
        primaryBroken = false;
        frontendBuilt = true;
        frontendOnline = true;
        apiOnline = true;
        apiReplicas = 2;
        appRelease = COMMITS.get(1);
        ciRuns.clear();
        journal.clear();
        log("akig-backend started (pid 4242)");
    }

    /** Appends a line to the backend's emulated journal ({@code journalctl -u akig-backend}). */
    public synchronized void log(String line) {
        journal.addLast(clock.instant() + " akig-backend: " + line);
        while (journal.size() > LOG_LINES) {
            journal.removeFirst();
        }
    }

    /** The emulated journal, oldest first. */
    public synchronized List<String> journal() {
        return new ArrayList<>(journal);
    }

    /**
     * {@code pm2 restart akig-backend}: a new process; the latency and the memory leak go,
     * and the secret of {@code .env} is loaded (always with pm2's {@code --update-env}, which
     * the runbooks give when it matters; without it too, as pm2 re-reads an ecosystem's env_file).
     */
    public synchronized void restartBackend() {
        backendOnline = true;
        latencyMs = 0;
        leakSince = null;
        loadedSecret = envFileSecret;
        backendRestarts++;
        log("akig-backend restarted (restart #" + backendRestarts + ")");
    }

    /** {@code pm2 stop akig-backend}, or the {@code api-down} fault: the process is gone. */
    public synchronized void stopBackend(String why) {
        backendOnline = false;
        log("akig-backend exited: " + why);
    }

    /** True when the backend process runs. */
    public synchronized boolean backendOnline() {
        return backendOnline;
    }

    /** Extra latency of every {@code /api/*} answer, in milliseconds (0 = none). */
    public synchronized long latencyMs() {
        return latencyMs;
    }

    /** Sets the extra latency ({@code api-slow}). */
    public synchronized void latencyMs(long ms) {
        latencyMs = ms;
        log("event loop lag " + ms + " ms");
    }

    /** Starts the memory leak ({@code memory-leak}), from the alert threshold up. */
    public synchronized void startLeak() {
        leakSince = clock.instant();
        log("heap growing: possible memory leak");
    }

    /** True while the backend leaks. */
    public synchronized boolean leaking() {
        return leakSince != null;
    }

    /**
     * The backend's resident memory in MB: {@link #BASE_MEMORY_MB}, or while leaking
     * {@code ALERT_MEMORY_MB + 50 + 20 MB per second} since the leak started.
     */
    public synchronized int memoryMb() {
        if (leakSince == null) {
            return BASE_MEMORY_MB;
        }
        long s = Math.max(0, Duration.between(leakSince, clock.instant()).toSeconds());
        return (int) Math.min(Integer.MAX_VALUE, ALERT_MEMORY_MB + 50 + 20 * s);
    }

    /** Replaces {@code JWT_SECRET} in the servers' {@code .env} (not yet loaded by the backend). */
    public synchronized void envFileSecret(String secret) {
        envFileSecret = secret;
    }

    /** {@code JWT_SECRET} of the servers' {@code .env}. */
    public synchronized String envFileSecret() {
        return envFileSecret;
    }

    /** Sets the secret the running backend uses ({@code auth-broken} changes both). */
    public synchronized void loadedSecret(String secret) {
        loadedSecret = secret;
    }

    /** True when the running backend verifies tokens with the right secret. */
    public synchronized boolean authWorks() {
        return GOOD_SECRET.equals(loadedSecret);
    }

    /**
     * Stripe is down until this instant ({@code stripe-webhooks-failing}: a vendor outage that
     * ends by itself); null when it is up.
     */
    public synchronized void stripeDownUntil(Instant until) {
        stripeDownUntil = until;
    }

    /** True while Stripe's outage lasts. */
    public synchronized boolean stripeFailing() {
        return stripeDownUntil != null && clock.instant().isBefore(stripeDownUntil);
    }

    /** {@code redis-cli FLUSHDB}: the cache is emptied. */
    public synchronized void flushRedis() {
        redisKeys = 0;
    }

    /** Keys in the emulated Redis. */
    public synchronized int redisKeys() {
        return redisKeys;
    }

    /** How many times the backend was restarted since the last reset. */
    public synchronized int backendRestarts() {
        return backendRestarts;
    }

    /**
     * The generic service's deployment ({@code api}, GEN-K8S-SERVICE): false while its pods crash
     * ({@code k8s-service-down}); {@code kubectl rollout restart|undo} brings it back.
     */
    public synchronized void apiOnline(boolean online) {
        apiOnline = online;
    }

    /** True when the generic service's pods run. */
    public synchronized boolean apiOnline() {
        return apiOnline;
    }

    /** {@code kubectl scale deployment/api --replicas=N}. */
    public synchronized void apiReplicas(int n) {
        apiReplicas = n;
    }

    /** Replicas of the generic service. */
    public synchronized int apiReplicas() {
        return apiReplicas;
    }

    /**
     * {@code frontend-down}: the frontend's build output is gone and its process serves a blank
     * page ({@code /front} answers 502) until {@code npm run build} and a pm2 restart.
     */
    public synchronized void breakFrontend() {
        frontendBuilt = false;
        frontendOnline = false;
    }

    /** {@code npm run build} in the frontend's directory. */
    public synchronized void buildFrontend() {
        frontendBuilt = true;
    }

    /** {@code pm2 restart akig-frontend}: it serves the build, if there is one. */
    public synchronized void restartFrontend() {
        frontendOnline = frontendBuilt;
    }

    /** True when the frontend serves its pages. */
    public synchronized boolean frontendOnline() {
        return frontendOnline;
    }

    /** The PostgreSQL server the AKIG backend's {@code DATABASE_URL} names. */
    public enum BackendDatabase {
        /** The primary (the environment's databases). */
        PRIMARY,
        /** The replica of {@code replica-failover}. */
        REPLICA,
        /** Something else: the backend cannot reach its database. */
        UNREACHABLE
    }

    /** Where the backend's {@code DATABASE_URL} points (read at its restart with --update-env). */
    public synchronized BackendDatabase backendDatabase() {
        return backendDatabase;
    }

    /** Points the backend at a database ({@code DATABASE_URL} exported, then pm2 --update-env). */
    public synchronized void backendDatabase(BackendDatabase db) {
        backendDatabase = db;
        log("DATABASE_URL now names the " + db.name().toLowerCase(java.util.Locale.ROOT) + " database");
    }

    /** {@code replica-failover}: the primary's data directory is damaged, it does not start again. */
    public synchronized void primaryBroken(boolean broken) {
        primaryBroken = broken;
    }

    /** True while the primary cannot start. */
    public synchronized boolean primaryBroken() {
        return primaryBroken;
    }

    /** The release (commit SHA) the app of ROLLBACK-GIT-SHA runs. */
    public synchronized String appRelease() {
        return appRelease;
    }

    /** Deploys a release of the app (the CI pipeline's rollback job, or {@code bad-deploy}). */
    public synchronized void appRelease(String sha) {
        appRelease = sha;
    }

    /** The CI's {@code workflow_dispatch} runs, oldest first: the SHA each deployed. */
    public synchronized List<String> ciRuns() {
        return new ArrayList<>(ciRuns);
    }

    /** Records a {@code workflow_dispatch} run that deployed {@code sha}. */
    public synchronized void ciRun(String sha) {
        ciRuns.add(sha);
    }

    /** {@code git checkout REF} on a server: the deployed version. */
    public synchronized void deployedRef(String ref) {
        deployedRef = ref;
        log("checked out " + ref);
    }

    /** The deployed git ref. */
    public synchronized String deployedRef() {
        return deployedRef;
    }
}
