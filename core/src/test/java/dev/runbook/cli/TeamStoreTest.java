package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.EmbeddedPostgres;
import dev.runbook.testing.RunbookProcess;
import dev.runbook.testing.TcpProxy;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The team store (issue 11, items 1-4) on a real PostgreSQL, with real {@code runbook} processes:
 * the lock across "machines" (working directories), follow over LISTEN/NOTIFY, byte-identical
 * events, an outage of the store mid-run, resume from a directory without the log.
 */
class TeamStoreTest {

    @TempDir
    Path dir;

    private String db;
    private TcpProxy proxy;
    private Path inventory;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void store() throws Exception {
        db = EmbeddedPostgres.createDatabase("team_store");
        proxy = new TcpProxy(EmbeddedPostgres.port());
        inventory = dir.resolve("environments.yaml");
        Files.writeString(inventory, """
                store:
                  url: jdbc:postgresql://127.0.0.1:%d/%s
                  user: %s
                  password: ${secrets.STORE_PASSWORD}
                environments:
                  staging:
                    vars: {name: staging}
                """.formatted(proxy.port(), db, EmbeddedPostgres.user()));
        CliRun init = cli().run("store", "init", "--inventory", inventory.toString());
        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(init.out()).contains("schema runbook migrated from nothing to version 1");
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        proxy.close();
    }

    private CliRun.Builder cli() {
        return CliRun.with()
                .env("STORE_PASSWORD", EmbeddedPostgres.password())
                .env("XDG_CACHE_HOME", dir.resolve("cache").toString())
                .env("XDG_STATE_HOME", dir.resolve("state").toString());
    }

    private Path runbook(String id, String steps) throws Exception {
        Path rb = dir.resolve(id + ".yaml");
        Files.writeString(rb, "id: " + id + "\ntitle: Team store " + id + "\nseverity: P3\nsteps:\n" + steps);
        return rb;
    }

    /** A {@code runbook} process in its own working directory (another responder's machine). */
    private Process process(Path cwd, Path output, String... args) throws Exception {
        Process p = RunbookProcess.start(cwd, output, Map.of("STORE_PASSWORD", EmbeddedPostgres.password()), args);
        processes.add(p);
        return p;
    }

    /** {@code runbook run RB --yes --env staging} on the store's inventory, its log in {@code logs}. */
    private CliRun runOnStaging(Path rb, Path logs) {
        return cli().run(
                        "run",
                        rb.toString(),
                        "--yes",
                        "--env",
                        "staging",
                        "--inventory",
                        inventory.toString(),
                        "--log-dir",
                        logs.toString());
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        RunbookProcess.await(what, cond);
    }

    private static String read(Path f) {
        return RunbookProcess.read(f);
    }

    private List<String> storeLines(String incident) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = EmbeddedPostgres.connect(db);
                var p = c.prepareStatement("select line from runbook.events where incident = ? order by seq")) {
            p.setString(1, incident);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    private static List<String> localLines(Path log) throws Exception {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        return List.of(text.substring(0, text.length() - 1).split("\n", -1));
    }

    @Test
    void initIsIdempotent() {
        CliRun again = cli().run("store", "init", "--inventory", inventory.toString());
        assertThat(again.code()).as(again.toString()).isZero();
        assertThat(again.out()).contains("schema runbook is up to date (version 1)");
    }

    @Test
    void twoRespondersOneLockAThirdFollowsEveryEventAndTheStoreHoldsTheSameBytes() throws Exception {
        Path gate = dir.resolve("gate");
        Path rb = runbook("TEAM-1", """
                  - id: start
                    shell: echo started
                  - id: wait
                    shell: while [ ! -e %s ]; do sleep 0.05; done; echo released
                  - id: last
                    shell: echo done
                """.formatted(gate));
        Path aOut = dir.resolve("a.out");
        Process a = process(
                dir.resolve("alice"),
                aOut,
                "run",
                rb.toString(),
                "--yes",
                "--env",
                "staging",
                "--inventory",
                inventory.toString(),
                "--operator",
                "alice");
        await(
                "alice's run to start step wait",
                () -> read(aOut).contains("released") || read(aOut).contains("wait"));
        await("the lock row", () -> {
            try (Connection c = EmbeddedPostgres.connect(db);
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("select count(*) from runbook.locks where incident is not null")) {
                r.next();
                return r.getInt(1) == 1;
            } catch (Exception e) {
                return false;
            }
        });

        // bob, on another machine (working directory, log directory), is refused by the advisory lock
        Path bobOut = dir.resolve("bob.out");
        Process bob = process(
                dir.resolve("bob"),
                bobOut,
                "run",
                rb.toString(),
                "--yes",
                "--env",
                "staging",
                "--inventory",
                inventory.toString(),
                "--operator",
                "bob");
        assertThat(bob.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bob.exitValue()).as(read(bobOut)).isEqualTo(2);
        assertThat(read(bobOut))
                .contains("TEAM-1 on staging is held by incident ")
                .contains("operator alice")
                .contains("runbook log follow ")
                .contains(" --store");

        // carol follows it from a third directory, through the store only
        Path carolOut = dir.resolve("carol.out");
        Path aliceLog = CliRun.onlyLog(dir.resolve("alice/incidents"));
        String id = aliceLog.getFileName().toString().replace(".jsonl", "");
        Process carol =
                process(dir.resolve("carol"), carolOut, "log", "follow", id, "--inventory", inventory.toString());
        await("carol to see step wait start", () -> read(carolOut).contains("Step wait started"));
        Files.createFile(gate);
        assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(a.exitValue()).as(read(aOut)).isZero();
        assertThat(carol.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(carol.exitValue()).as(read(carolOut)).isZero();

        // the store holds the local log byte for byte
        assertThat(storeLines(id)).isEqualTo(localLines(aliceLog));
        // carol saw every event, in order: the same timeline as log show of the local log
        CliRun show = cli().run("log", "show", aliceLog.toString());
        List<String> timeline = show.out()
                .lines()
                .filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  \\+.*"))
                .toList();
        List<String> followed = read(carolOut)
                .lines()
                .filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d  \\+.*"))
                .toList();
        assertThat(followed).isEqualTo(timeline).hasSizeGreaterThanOrEqualTo(8);

        // the team-wide list and verify work from a fourth directory with no local log
        CliRun list = cli().run("log", "list", "--inventory", inventory.toString());
        assertThat(list.out()).contains(id).contains("resolved");
        CliRun verify = cli().run(
                        "log",
                        "verify",
                        id,
                        "--inventory",
                        inventory.toString(),
                        "--log-dir",
                        dir.resolve("alice/incidents").toString(),
                        "--store");
        assertThat(verify.code()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("chain intact").contains("matches the store's copy");
    }

    @Test
    void aLocalLogEditedOrCutAfterReachingTheStoreIsDetected() throws Exception {
        Path rb = runbook("TEAM-2", "  - id: one\n    shell: echo one\n  - id: two\n    shell: echo two\n");
        Path logs = dir.resolve("logs");
        CliRun run = runOnStaging(rb, logs);
        assertThat(run.code()).as(run.toString()).isZero();
        Path log = CliRun.onlyLog(logs);
        String id = log.getFileName().toString().replace(".jsonl", "");
        assertThat(storeLines(id)).isEqualTo(localLines(log));
        String[] verifyArgs = {
            "log", "verify", id, "--inventory", inventory.toString(), "--log-dir", logs.toString(), "--store"
        };
        assertThat(cli().run(verifyArgs).code()).isZero();

        // an edit that keeps the chain valid from that line on cannot hide: the store has the bytes
        List<String> lines = new ArrayList<>(localLines(log));
        lines.set(3, lines.get(3).replace("\"seq\":4,", "\"seq\":4 ,"));
        Files.writeString(log, String.join("\n", lines) + "\n");
        CliRun edited = cli().run(verifyArgs);
        assertThat(edited.code()).isEqualTo(1);
        assertThat(edited.out()).contains(":4: differs from the store's event 4");

        // a cut tail
        Files.writeString(log, String.join("\n", localLines(log).subList(0, 3)) + "\n");
        CliRun cut = cli().run(verifyArgs);
        assertThat(cut.code()).isEqualTo(1);
        assertThat(cut.out()).contains("the local log was cut (events 4..");
    }

    /**
     * Readers of one machine (a board, a {@code log follow}) share the store's local copy: one that
     * read an older head must not cut or duplicate what another brought in (the copy is checked by
     * {@link JournalVerifier} after every sync, 200 syncs from 4 threads with random stale heads),
     * and an incident the store no longer holds leaves the copy.
     */
    @Test
    void theLocalCopyOfTheStoreStaysValidUnderConcurrentSyncsOfStaleHeads() throws Exception {
        Path rb = runbook("TEAM-6", "  - id: one\n    shell: echo one\n  - id: two\n    shell: echo two\n");
        CliRun run = runOnStaging(rb, dir.resolve("logs"));
        assertThat(run.code()).as(run.toString()).isZero();
        String id = CliRun.onlyLog(dir.resolve("logs")).getFileName().toString().replace(".jsonl", "");
        dev.runbook.store.Store store = dev.runbook.store.Store.of(
                new dev.runbook.model.StoreRef(
                        "jdbc:postgresql://127.0.0.1:" + EmbeddedPostgres.port() + "/" + db,
                        EmbeddedPostgres.user(),
                        "${secrets.STORE_PASSWORD}"),
                Map.of("STORE_PASSWORD", EmbeddedPostgres.password()));
        Path mirror = dir.resolve("mirror");
        Files.createDirectories(mirror);
        dev.runbook.store.Store.Head full;
        try (Connection c = store.connect()) {
            full = dev.runbook.store.Store.head(c, id).orElseThrow();
        }
        long events = full.headSeq();
        assertThat(events).isGreaterThan(4);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger syncs = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            long seed = t;
            threads.add(new Thread(() -> {
                java.util.Random random = new java.util.Random(seed);
                try (Connection c = store.connect()) {
                    for (int i = 0; i < 50; i++) {
                        long seq = 1 + random.nextInt((int) events);
                        dev.runbook.store.Store.Head stale =
                                new dev.runbook.store.Store.Head(id, full.runbook(), seq, null, null, false);
                        Path copy = dev.runbook.store.StoreMirror.sync(c, mirror, stale);
                        syncs.incrementAndGet();
                        List<String> lines = localLines(copy);
                        if (lines.size() < seq) {
                            throw new AssertionError("copy cut to " + lines.size() + " events after a sync to " + seq);
                        }
                        JournalVerifier.Result v = JournalVerifier.verify(copy);
                        if (!v.ok()) {
                            throw new AssertionError(v.toString());
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(syncs.get()).isEqualTo(200);
        assertThat(localLines(mirror.resolve(id + ".jsonl"))).isEqualTo(storeLines(id));

        // a copy of an incident the store does not hold (deleted since) leaves the copy
        Path gone = mirror.resolve("20200101T000000Z-GONE.jsonl");
        Files.writeString(gone, "{}\n");
        try (Connection c = store.connect()) {
            dev.runbook.store.StoreMirror.sync(c, mirror, "");
        }
        assertThat(gone).doesNotExist();
        assertThat(mirror.resolve(id + ".jsonl")).exists();
    }

    @Test
    void theStoreGoesDownMidRunTheRunCompletesAndNothingIsLostOrDuplicated() throws Exception {
        Path down = dir.resolve("down");
        Path back = dir.resolve("back");
        Path rb = runbook("TEAM-3", """
                  - id: before
                    shell: echo before
                  - id: outage
                    shell: touch %s; while [ ! -e %s ]; do sleep 0.05; done; echo during
                  - id: during
                    shell: echo still going
                  - id: after
                    shell: while [ ! -e %s ]; do sleep 0.05; done; echo after
                """.formatted(dir.resolve("in-outage"), down, back));
        Path out = dir.resolve("run.out");
        Process p = process(
                dir.resolve("resp"),
                out,
                "run",
                rb.toString(),
                "--yes",
                "--env",
                "staging",
                "--inventory",
                inventory.toString());
        await("the outage step", () -> Files.exists(dir.resolve("in-outage")));
        proxy.stop();
        long t0 = System.nanoTime();
        Files.createFile(down);
        await("the run to say it is behind", () -> read(out).contains("event(s) behind"));
        assertThat(read(out)).contains("still going"); // the walk did not wait for the store
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        proxy.start();
        await("the run to catch up", () -> read(out).contains("store: caught up"));
        Files.createFile(back);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(read(out)).isZero();
        Path log = CliRun.onlyLog(dir.resolve("resp/incidents"));
        String id = log.getFileName().toString().replace(".jsonl", "");
        assertThat(storeLines(id)).isEqualTo(localLines(log));

        // a push afterwards sends nothing twice
        CliRun push = cli().run(
                        "log",
                        "push",
                        id,
                        "--inventory",
                        inventory.toString(),
                        "--log-dir",
                        dir.resolve("resp/incidents").toString());
        assertThat(push.code()).as(push.toString()).isZero();
        assertThat(push.out()).contains("0 event(s) sent, " + localLines(log).size() + " already in the store");
    }

    @Test
    void aRunClosedWhileTheStoreIsDownIsPushedLater() throws Exception {
        proxy.stop();
        Path rb = runbook("TEAM-4", "  - id: one\n    shell: echo one\n");
        Path logs = dir.resolve("logs");
        CliRun run = runOnStaging(rb, logs);
        // the incident is not held up by the team's database: the lock holds on this machine only
        assertThat(run.code()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("cannot be reached to take the lock")
                .contains("this machine only")
                .contains("event(s) behind")
                .contains("runbook log push");
        proxy.start();
        Path log = CliRun.onlyLog(logs);
        String id = log.getFileName().toString().replace(".jsonl", "");
        CliRun push = cli().run("log", "push", "--inventory", inventory.toString(), "--log-dir", logs.toString());
        assertThat(push.code()).as(push.toString()).isZero();
        assertThat(push.out()).contains(id + ": " + localLines(log).size() + " event(s) sent, 0 already");
        assertThat(storeLines(id)).isEqualTo(localLines(log));
    }

    @Test
    void aRunKilledHalfWayIsResumedFromAnotherDirectoryThatHasNoLocalLog() throws Exception {
        Path rb = runbook("TEAM-5", """
                  - id: first
                    shell: echo first >> %1$s
                  - id: slow
                    shell: echo slow-start >> %1$s; sleep 30
                  - id: last
                    shell: echo last >> %1$s
                """.formatted(dir.resolve("trace")));
        Path out = dir.resolve("killed.out");
        Process p = process(
                dir.resolve("alice"),
                out,
                "run",
                rb.toString(),
                "--yes",
                "--env",
                "staging",
                "--inventory",
                inventory.toString(),
                "--operator",
                "alice");
        await("step slow to start", () -> read(dir.resolve("trace")).contains("slow-start"));
        Path aliceLog = CliRun.onlyLog(dir.resolve("alice/incidents"));
        String id = aliceLog.getFileName().toString().replace(".jsonl", "");
        await("the store to hold step slow's start", () -> {
            try {
                return storeLines(id).stream().anyMatch(l -> l.contains("\"step.started\"") && l.contains("slow"));
            } catch (Exception e) {
                return false;
            }
        });
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        // the killed run's store lock went with its connection; bob resumes on his machine
        Path bobLogs = dir.resolve("bob/incidents");
        Files.writeString(dir.resolve("trace"), "");
        Files.writeString(rb, Files.readString(rb).replace("sleep 30", "true"));
        CliRun resumed = cli().run(
                        "resume",
                        id.substring(0, id.length() - 3),
                        "--yes",
                        "--in-flight",
                        "rerun",
                        "--operator",
                        "bob",
                        "--inventory",
                        inventory.toString(),
                        "--log-dir",
                        bobLogs.toString());
        assertThat(resumed.code()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).contains("is not on this machine: written from the team store");
        Path bobLog = bobLogs.resolve(id + ".jsonl");
        assertThat(JournalVerifier.verify(bobLog).ok()).isTrue();
        assertThat(JournalVerifier.verify(bobLog).closed()).isTrue();
        assertThat(Files.readString(dir.resolve("trace"))).isEqualTo("slow-start\nlast\n");
        List<String> stored = storeLines(id);
        assertThat(stored).isEqualTo(localLines(bobLog));
        assertThat(String.join("\n", stored))
                .contains("\"incident.resumed\"")
                .contains("\"previous_operator\":\"alice\"");
        try (Connection c = EmbeddedPostgres.connect(db);
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery("select operator, outcome from runbook.incidents where id = '" + id + "'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).isEqualTo("bob");
            assertThat(r.getString(2)).isEqualTo("resolved");
        }
        assertThat(new File(dir.resolve("bob").toString())).exists();
    }

    @Test
    void aRunWhoseLockConnectionIsLostSaysSo() throws Exception {
        Path gate = dir.resolve("gate");
        Path rb = runbook("TEAM-6", """
                  - id: wait
                    shell: while [ ! -e %s ]; do sleep 0.05; done
                """.formatted(gate));
        Path out = dir.resolve("lost.out");
        Process p = process(
                dir.resolve("resp"),
                out,
                "run",
                rb.toString(),
                "--yes",
                "--env",
                "staging",
                "--inventory",
                inventory.toString());
        await("the lock row", () -> {
            try (Connection c = EmbeddedPostgres.connect(db);
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("select count(*) from runbook.locks where incident is not null")) {
                r.next();
                return r.getInt(1) == 1;
            } catch (Exception e) {
                return false;
            }
        });
        try (Connection c = EmbeddedPostgres.connect(db);
                Statement s = c.createStatement()) {
            s.execute("select pg_terminate_backend(backend_pid) from runbook.locks");
        }
        await("the run to say the lock was lost", () -> read(out).contains("connection holding the lock was lost"));
        Files.createFile(gate);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(read(out)).isZero();
    }
}
