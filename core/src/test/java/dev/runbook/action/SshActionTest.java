package dev.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.action.ActionContext.HostKeyPolicy;
import dev.runbook.action.ssh.SshSession;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Inventory;
import dev.runbook.template.Masker;
import dev.runbook.template.Renderer;
import dev.runbook.template.Scope;
import dev.runbook.testing.SshServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SshAction} against real SSH servers on loopback ({@link SshServerFixture}). */
class SshActionTest {

    private static final String USER = "deploy";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    @TempDir
    Path tmp;

    private Path home;
    private Path knownHosts;
    private SshServerFixture servers;
    private final Scope scope = new Scope();
    private final Masker masker = new Masker();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Output output = new Output() {
        @Override
        public void line(String source, String line) {
            lines.add(source + "|" + line);
        }

        @Override
        public void progress(String text) {
            progress.add(text);
        }
    };
    private final List<String> progress = new CopyOnWriteArrayList<>();
    private SshAction action;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        knownHosts = home.resolve(".ssh/known_hosts");
        action = new SshAction(home, null);
        scope.get("secrets").put("SSH_PASS", PASSWORD);
        masker.add(PASSWORD);
    }

    @AfterEach
    void tearDown() {
        if (servers != null) {
            servers.close();
        }
    }

    private SshServerFixture start(int n) throws Exception {
        servers = SshServerFixture.start(tmp, n);
        servers.setPassword(USER, PASSWORD);
        return servers;
    }

    /** A password host for server i, known_hosts default (~/.ssh/known_hosts). */
    private Inventory.Host pwHost(String name, int i) {
        return new Inventory.Host(
                name, "127.0.0.1", servers.port(i), USER, null, null, "${secrets.SSH_PASS}", null, null);
    }

    private static Inventory.Environment env(List<Inventory.Host> hosts, Map<String, List<String>> groups) {
        Map<String, Inventory.Host> m = new LinkedHashMap<>();
        hosts.forEach(h -> m.put(h.name(), h));
        return new Inventory.Environment("test", false, Map.of(), Map.of(), m, groups, List.of());
    }

    private static Inventory.Environment env(Inventory.Host... hosts) {
        return env(List.of(hosts), Map.of());
    }

    private ActionContext ctx(
            Inventory.Environment env,
            Resources resources,
            HostKeyPolicy policy,
            boolean keepGoing,
            Duration timeout,
            Cancellation cancellation) {
        return new ActionContext(
                "step-id",
                new Renderer(scope.toMap(), masker, false),
                timeout,
                env,
                resources,
                output,
                masker,
                cancellation,
                policy,
                keepGoing,
                java.util.Map.of());
    }

    private ActionContext ctx(Inventory.Environment env) {
        return ctx(env, new Resources(), HostKeyPolicy.REFUSE, false, Duration.ofSeconds(10), new Cancellation());
    }

    private static ActionSpec.Ssh spec(String command, int parallel, String... hosts) {
        return new ActionSpec.Ssh(List.of(hosts), command, parallel, ActionSpec.ExecExpect.DEFAULT, false);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> host(ActionResult r, String name) {
        return (Map<String, Object>) ((Map<String, Object>) r.fields().get("hosts")).get(name);
    }

    /** Records the questions and answers the same each time. */
    private static final class Policy implements HostKeyPolicy {
        final boolean answer;
        final List<String> asked = new CopyOnWriteArrayList<>();

        Policy(boolean answer) {
            this.answer = answer;
        }

        @Override
        public boolean trust(String host, String address, String keyType, String fingerprint) {
            asked.add(host + " " + address + " " + keyType + " " + fingerprint);
            return answer;
        }
    }

    // --- authentication -------------------------------------------------------------------

    @Test
    void passwordFromSecretRunsTheCommandAndStreamsLinesPrefixedByHost() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        ActionResult r = action.execute(spec("echo hello; echo world", 1, "web1"), ctx(env(pwHost("web1", 0))));

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(r.fields().get("exit")).isEqualTo(0);
        assertThat(host(r, "web1"))
                .containsEntry("stdout", "hello\nworld\n")
                .containsEntry("status", "succeeded")
                .containsEntry("exit", 0);
        assertThat(lines).containsExactly("web1|hello", "web1|world");
        assertThat(servers.commands(0)).containsExactly("echo hello; echo world");
    }

    @Test
    void ed25519KeyWithTildePath() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        var key = SshServerFixture.keygen(Files.createDirectories(home.resolve(".ssh")), "id_test", "ed25519", "");
        servers.authorize(key.publicKey());
        var h = new Inventory.Host(
                "web1", "127.0.0.1", servers.port(0), USER, "~/.ssh/id_test", null, null, null, null);

        ActionResult r = action.execute(spec("echo ok", 1, "web1"), ctx(env(h)));

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(host(r, "web1")).containsEntry("stdout", "ok\n");
    }

    @Test
    void rsaKey() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        var key = SshServerFixture.keygen(tmp, "id_rsa_test", "rsa", "");
        servers.authorize(key.publicKey());
        var h = new Inventory.Host(
                "web1", "127.0.0.1", servers.port(0), USER, key.privateKey().toString(), null, null, null, null);

        ActionResult r = action.execute(spec("echo rsa", 1, "web1"), ctx(env(h)));

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(host(r, "web1")).containsEntry("stdout", "rsa\n");
    }

    @Test
    void keyWithPassphraseFromASecret() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        String passphrase = "pp-" + UUID.randomUUID();
        var key = SshServerFixture.keygen(tmp, "id_pp", "ed25519", passphrase);
        servers.authorize(key.publicKey());
        scope.get("secrets").put("SSH_PASSPHRASE", passphrase);
        masker.add(passphrase);
        var withPp = new Inventory.Host(
                "web1",
                "127.0.0.1",
                servers.port(0),
                USER,
                key.privateKey().toString(),
                "${secrets.SSH_PASSPHRASE}",
                null,
                null,
                null);
        var withoutPp = new Inventory.Host(
                "web1", "127.0.0.1", servers.port(0), USER, key.privateKey().toString(), null, null, null, null);

        ActionResult ok = action.execute(spec("echo unlocked", 1, "web1"), ctx(env(withPp)));
        ActionResult locked = action.execute(spec("echo unlocked", 1, "web1"), ctx(env(withoutPp)));

        assertThat(ok.status()).as(ok.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(host(ok, "web1")).containsEntry("stdout", "unlocked\n");
        assertThat(locked.status()).isEqualTo(ActionResult.Status.FAILED);
    }

    @Test
    void wrongKeyFailsWithOneLine() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        var key = SshServerFixture.keygen(tmp, "id_other", "ed25519", "");
        var h = new Inventory.Host(
                "web1", "127.0.0.1", servers.port(0), USER, key.privateKey().toString(), null, null, null, null);

        ActionResult r = action.execute(spec("echo never", 1, "web1"), ctx(env(h)));

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error())
                .contains("web1 (127.0.0.1:" + servers.port(0) + ")")
                .contains("authentication failed as 'deploy'")
                .doesNotContain("\n");
        assertThat(r.fields().get("exit")).isEqualTo(-1);
        assertThat(r.fields().get("failed_hosts")).isEqualTo(List.of("web1"));
        assertThat(host(r, "web1")).containsEntry("status", "failed").containsEntry("exit", -1);
        assertThat(servers.commands(0)).isEmpty();
    }

    // --- host keys ------------------------------------------------------------------------

    @Test
    void unknownHostKeyTrustedIsRecordedInANewKnownHostsFile() throws Exception {
        start(1);
        Policy trust = new Policy(true);
        assertThat(knownHosts.getParent()).doesNotExist();

        ActionResult r = action.execute(
                spec("echo trusted", 1, "web1"),
                ctx(env(pwHost("web1", 0)), new Resources(), trust, false, Duration.ofSeconds(10), new Cancellation()));

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(trust.asked)
                .containsExactly("web1 127.0.0.1:" + servers.port(0) + " ssh-ed25519 " + servers.fingerprint(0));
        assertThat(Files.readString(knownHosts)).isEqualTo(servers.knownHostsLine(0) + "\n");
        // now known: a refusing policy is not even asked
        ActionResult again = action.execute(spec("echo again", 1, "web1"), ctx(env(pwHost("web1", 0))));
        assertThat(again.status()).as(again.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
    }

    @Test
    void unknownHostKeyRefusedNamesHostFingerprintAndHowToTrust() throws Exception {
        start(1);
        Policy refuse = new Policy(false);

        ActionResult r = action.execute(
                spec("echo never", 1, "web1"),
                ctx(
                        env(pwHost("web1", 0)),
                        new Resources(),
                        refuse,
                        false,
                        Duration.ofSeconds(10),
                        new Cancellation()));

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error())
                .contains("web1")
                .contains(servers.fingerprint(0))
                .contains("ssh-keyscan -p " + servers.port(0) + " 127.0.0.1 >> " + knownHosts)
                .doesNotContain("\n");
        assertThat(refuse.asked).hasSize(1);
        assertThat(knownHosts).doesNotExist();
        assertThat(servers.commands(0)).isEmpty();
    }

    @Test
    void changedHostKeyIsRefusedEvenWhenThePolicyTrustsEverything() throws Exception {
        start(2);
        // server 0's port recorded with server 1's key: the key "changed"
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, "[127.0.0.1]:" + servers.port(0) + " " + servers.hostKeyEntry(1) + "\n");
        Policy trust = new Policy(true);

        ActionResult r = action.execute(
                spec("echo never", 1, "web1"),
                ctx(env(pwHost("web1", 0)), new Resources(), trust, false, Duration.ofSeconds(10), new Cancellation()));

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error())
                .startsWith("HOST KEY CHANGED for web1 (127.0.0.1:" + servers.port(0) + ")")
                .contains(knownHosts.toString())
                .contains(servers.fingerprint(0))
                .doesNotContain("\n");
        assertThat(trust.asked).isEmpty();
        assertThat(servers.commands(0)).isEmpty();
        assertThat(Files.readString(knownHosts)).doesNotContain(servers.hostKeyEntry(0));
    }

    // --- commands -------------------------------------------------------------------------

    @Test
    void exitStatusAndStderrPropagate() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        String cmd = "echo out; echo 'disk full' >&2; exit 3";

        ActionResult r = action.execute(spec(cmd, 1, "web1"), ctx(env(pwHost("web1", 0))));
        ActionResult expected3 = action.execute(
                new ActionSpec.Ssh(List.of("web1"), cmd, 1, new ActionSpec.ExecExpect(3, "out", "^o.t$"), false),
                ctx(env(pwHost("web1", 0))));
        ActionResult wrongStdout = action.execute(
                new ActionSpec.Ssh(
                        List.of("web1"), "echo fine", 1, new ActionSpec.ExecExpect(null, "ready", null), false),
                ctx(env(pwHost("web1", 0))));

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.fields().get("exit")).isEqualTo(3);
        assertThat(host(r, "web1"))
                .containsEntry("exit", 3)
                .containsEntry("stdout", "out\n")
                .containsEntry("stderr", "disk full\n")
                .containsEntry("status", "failed");
        assertThat(r.error()).isEqualTo("web1: exit 3 (expected 0): disk full");
        assertThat(lines).contains("web1|disk full");
        assertThat(expected3.status()).as(expected3.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(wrongStdout.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(wrongStdout.error()).isEqualTo("web1: stdout does not contain \"ready\"");
        assertThat(wrongStdout.fields().get("failed_hosts")).isEqualTo(List.of("web1"));
    }

    @Test
    void aCommandPastItsTimeoutIsKilledAndTimedOut() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        Path pidFile = tmp.resolve("pid");
        String cmd = "echo $$ > " + pidFile + "; echo started; exec sleep 60";

        ActionResult r = action.execute(
                spec(cmd, 1, "web1"),
                ctx(
                        env(pwHost("web1", 0)),
                        new Resources(),
                        HostKeyPolicy.REFUSE,
                        false,
                        Duration.ofSeconds(2),
                        new Cancellation()));

        assertThat(r.status()).isEqualTo(ActionResult.Status.TIMED_OUT);
        assertThat(r.error()).contains("web1: timed out after 2s");
        assertThat(host(r, "web1")).containsEntry("status", "timed_out").containsEntry("stdout", "started\n");
        assertThat(r.fields().get("failed_hosts")).isEqualTo(List.of("web1"));
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(waitUntil(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)))
                .as("the remote sleep (pid %d) was ended", pid)
                .isTrue();
    }

    @Test
    void templateValuesCannotInjectShellCommands() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        Path pwned = Path.of("/tmp/pwned-" + UUID.randomUUID());
        String evil = "x; touch " + pwned;
        scope.get("inputs").put("name", evil);

        ActionResult r = action.execute(spec("echo ${inputs.name}", 1, "web1"), ctx(env(pwHost("web1", 0))));

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(host(r, "web1")).containsEntry("stdout", evil + "\n");
        assertThat(pwned).doesNotExist();
    }

    @Test
    void oneSessionPerHostIsReusedAcrossStepsUntilResourcesClose() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        Resources resources = new Resources();
        var e = env(pwHost("web1", 0));
        ActionContext c = ctx(e, resources, HostKeyPolicy.REFUSE, false, Duration.ofSeconds(10), new Cancellation());

        ActionResult first = action.execute(spec("echo one", 1, "web1"), c);
        ActionResult second = action.execute(spec("echo two", 1, "web1"), c);

        assertThat(first.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(second.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(servers.commands(0)).containsExactly("echo one", "echo two");
        assertThat(servers.sessionsOpened(0)).isEqualTo(1);

        resources.close();
        ActionResult third = action.execute(spec("echo three", 1, "web1"), c);
        assertThat(third.status()).as(third.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(servers.sessionsOpened(0)).isEqualTo(2);
        resources.close();
    }

    @Test
    void aSessionFoundDisconnectedIsDiscardedAndReopened() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        Resources resources = new Resources();
        ActionContext c = ctx(
                env(pwHost("web1", 0)),
                resources,
                HostKeyPolicy.REFUSE,
                false,
                Duration.ofSeconds(10),
                new Cancellation());
        assertThat(action.execute(spec("echo one", 1, "web1"), c).status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        SshSession kept = resources.get("ssh:web1", SshSession.class, () -> {
            throw new AssertionError("the session should be kept in the run's resources");
        });
        kept.connected(() -> {
                    throw new AssertionError("the session should be connected already");
                })
                .disconnect();

        ActionResult r = action.execute(spec("echo two", 1, "web1"), c);

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(servers.sessionsOpened(0)).isEqualTo(2);
        assertThat(resources.get("ssh:web1", SshSession.class, () -> null)).isNotSameAs(kept);
        resources.close();
    }

    // --- hosts, groups, fan-out -----------------------------------------------------------

    @Test
    void groupsExpandInExecuteAndTarget() throws Exception {
        start(2).writeKnownHosts(knownHosts);
        var e = env(List.of(pwHost("web1", 0), pwHost("web2", 1)), Map.of("web", List.of("web1", "web2")));
        scope.get("secrets").put("TOKEN", "tok-123");
        masker.add("tok-123");
        var s = spec("echo deploy ${secrets.TOKEN}", 2, "web");

        ActionResult r = action.execute(s, ctx(e));

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(List.copyOf(((Map<?, ?>) r.fields().get("hosts")).keySet())).isEqualTo(List.of("web1", "web2"));
        assertThat(servers.commands(0)).containsExactly("echo deploy \"${RUNBOOK_V1}\"");
        assertThat(servers.commands(1)).containsExactly("echo deploy \"${RUNBOOK_V1}\"");
        assertThat(servers.values(0)).containsExactly(Map.of("RUNBOOK_V1", "tok-123"));
        assertThat(((Map<?, ?>) ((Map<?, ?>) r.fields().get("hosts")).get("web2")).get("stdout"))
                .isEqualTo("deploy tok-123\n");
        assertThat(action.target(s, new Renderer(scope.toMap(), masker, false), e))
                .isEqualTo("web1, web2: echo deploy '****'");
    }

    @Test
    void unknownHostNameFailsListingKnownHostsAndGroups() throws Exception {
        start(1);
        var e = env(List.of(pwHost("web1", 0)), Map.of("web", List.of("web1")));

        ActionResult r = action.execute(spec("echo x", 1, "db9"), ctx(e));

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error())
                .contains("'db9'")
                .contains("known hosts: web1")
                .contains("known groups: web")
                .doesNotContain("\n");
        assertThat(servers.sessionsOpened(0)).isZero();
    }

    @Test
    void fanOutRunsAtMostParallelHostsAndTheSecondWaveWaitsForTheFirst() throws Exception {
        int n = 10;
        start(n).writeKnownHosts(knownHosts);
        List<Inventory.Host> hosts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hosts.add(pwHost("h" + i, i));
        }
        var e = env(
                hosts, Map.of("all", hosts.stream().map(Inventory.Host::name).toList()));

        ActionResult r = action.execute(spec("sleep 1", 5, "all"), ctx(e));

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        List<Instant> starts = new ArrayList<>();
        List<Instant> ends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> h = host(r, "h" + i);
            assertThat(h).containsEntry("status", "succeeded");
            starts.add(Instant.parse((String) h.get("started_at")));
            ends.add(Instant.parse((String) h.get("finished_at")));
            assertThat(((Number) h.get("duration_ms")).longValue())
                    .isEqualTo(ends.get(i).toEpochMilli() - starts.get(i).toEpochMilli());
        }
        int maxRunning = 0;
        for (int k = 0; k < n; k++) {
            Instant s = starts.get(k);
            int running = 0;
            int finishedBefore = 0;
            for (int j = 0; j < n; j++) {
                if (!starts.get(j).isAfter(s) && ends.get(j).isAfter(s)) {
                    running++;
                }
                if (j != k && !ends.get(j).isAfter(s)) {
                    finishedBefore++;
                }
            }
            maxRunning = Math.max(maxRunning, running);
            // host k of the order written starts only once k-4 earlier hosts have finished
            assertThat(finishedBefore)
                    .as("hosts finished before h%d started", k)
                    .isGreaterThanOrEqualTo(k - 4);
        }
        assertThat(maxRunning).isLessThanOrEqualTo(5).isGreaterThan(1);
        // the live status of the fan-out (a transient line on a terminal): started, then done
        assertThat(progress).contains("0/10 done · 5 running").contains("10/10 done");
        assertThat(progress).allMatch(p -> p.matches("\\d+/10 done( · \\d+ running)?"));
        for (int k = 5; k < n; k++) {
            Instant firstWaveFirstEnd =
                    ends.subList(0, 5).stream().min(Instant::compareTo).orElseThrow();
            assertThat(starts.get(k)).isAfterOrEqualTo(firstWaveFirstEnd);
        }
    }

    @Test
    void afterAFailedHostTheRestAreNotStartedUnlessKeepGoing() throws Exception {
        start(3).writeKnownHosts(knownHosts);
        var bad = new Inventory.Host(
                "web2", "127.0.0.1", servers.port(1), USER, null, null, "wrong-password", null, null);
        var e = env(pwHost("web1", 0), bad, pwHost("web3", 2));
        var s = spec("echo hi", 1, "web1", "web2", "web3");

        ActionResult stop = action.execute(s, ctx(e));

        assertThat(stop.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(stop.fields().get("failed_hosts")).isEqualTo(List.of("web2"));
        assertThat(stop.fields().get("exit")).isEqualTo(-1);
        assertThat(host(stop, "web1")).containsEntry("status", "succeeded");
        assertThat(host(stop, "web2")).containsEntry("status", "failed");
        assertThat(host(stop, "web3")).containsEntry("status", "not_started").containsEntry("started_at", null);
        assertThat(stop.error()).contains("web2").contains("not started: web3").doesNotContain("\n");
        assertThat(servers.commands(2)).isEmpty();
        assertThat(progress).contains("2/3 done · 1 failed (web2)");

        ActionResult keepGoing = action.execute(
                s, ctx(e, new Resources(), HostKeyPolicy.REFUSE, true, Duration.ofSeconds(10), new Cancellation()));

        assertThat(keepGoing.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(keepGoing.fields().get("failed_hosts")).isEqualTo(List.of("web2"));
        assertThat(host(keepGoing, "web3")).containsEntry("status", "succeeded");
        assertThat(servers.commands(2)).containsExactly("echo hi");
    }

    // --- ssh config, jump hosts, Ctrl-C ---------------------------------------------------

    @Test
    void sshConfigFillsWhatTheInventoryLeavesOut() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        var key = SshServerFixture.keygen(Files.createDirectories(home.resolve(".ssh")), "cfg_key", "ed25519", "");
        servers.authorize(key.publicKey());
        Files.writeString(
                home.resolve(".ssh/config"),
                "Host web1\n  HostName 127.0.0.1\n  Port " + servers.port(0) + "\n  User " + USER
                        + "\n  IdentityFile ~/.ssh/cfg_key\n",
                StandardCharsets.UTF_8);
        var bare = new Inventory.Host("web1", null, null, null, null, null, null, null, null);

        ActionResult r = action.execute(spec("echo via-config", 1, "web1"), ctx(env(bare)));

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(host(r, "web1")).containsEntry("stdout", "via-config\n");
    }

    @Test
    void hostKeyAliasAndUserKnownHostsFileFromSshConfigAreHonoured() throws Exception {
        start(1);
        Path other = tmp.resolve("aliased_known_hosts");
        Files.writeString(other, "web-prod-alias " + servers.hostKeyEntry(0) + "\n");
        var key = SshServerFixture.keygen(Files.createDirectories(home.resolve(".ssh")), "alias_key", "ed25519", "");
        servers.authorize(key.publicKey());
        Files.writeString(
                home.resolve(".ssh/config"),
                "Host web1\n  HostName 127.0.0.1\n  Port " + servers.port(0) + "\n  User " + USER
                        + "\n  IdentityFile ~/.ssh/alias_key\n  HostKeyAlias web-prod-alias\n  UserKnownHostsFile "
                        + other + "\n",
                StandardCharsets.UTF_8);
        var bare = new Inventory.Host("web1", null, null, null, null, null, null, null, null);

        ActionResult r = action.execute(spec("echo aliased", 1, "web1"), ctx(env(bare)));

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(knownHosts).as("the default known_hosts is not used").doesNotExist();
    }

    @Test
    void jumpHostTunnelsToTheTargetAndVerifiesTheTargetKey() throws Exception {
        start(2).writeKnownHosts(knownHosts);
        var bastion = pwHost("bastion", 0);
        var web = new Inventory.Host(
                "web1", "127.0.0.1", servers.port(1), USER, null, null, "${secrets.SSH_PASS}", null, "bastion");
        var e = env(bastion, web);

        ActionResult r = action.execute(spec("echo behind", 1, "web1"), ctx(e));

        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(host(r, "web1")).containsEntry("stdout", "behind\n");
        assertThat(servers.commands(1)).containsExactly("echo behind");
        assertThat(servers.commands(0)).isEmpty();
        assertThat(servers.sessionsOpened(0)).isEqualTo(1);

        // the target's own key is checked, not the jump host's
        Files.writeString(knownHosts, servers.knownHostsLine(0) + "\n");
        ActionResult unknown = action.execute(spec("echo behind", 1, "web1"), ctx(e));
        assertThat(unknown.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(unknown.error()).contains(servers.fingerprint(1));
    }

    @Test
    void ctrlCClosesTheRunningChannelAndThrowsInterrupted() throws Exception {
        start(1).writeKnownHosts(knownHosts);
        Path pidFile = tmp.resolve("pid");
        Cancellation cancellation = new Cancellation();
        Resources resources = new Resources();
        ActionContext c = ctx(
                env(pwHost("web1", 0)), resources, HostKeyPolicy.REFUSE, false, Duration.ofSeconds(60), cancellation);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                action.execute(spec("echo $$ > " + pidFile + "; echo started; exec sleep 60", 1, "web1"), c);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        assertThat(waitUntil(() -> lines.contains("web1|started"))).isTrue();

        cancellation.cancel();
        t.interrupt();
        t.join(10_000);

        assertThat(t.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(waitUntil(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)))
                .as("the remote sleep (pid %d) was ended through the prelude's lifeline", pid)
                .isTrue();
        resources.close();
    }

    @Test
    void withoutAnEnvironmentEveryHostIsUnknown() throws Exception {
        ActionResult r = new SshAction().execute(spec("true", 1, "web1"), ctx(null));

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).contains("'web1'").contains("no environment is selected");
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(25);
        }
        return condition.getAsBoolean();
    }

    @Test
    void aRevokedKeyIsRefusedEvenWhenAlsoListedNormally() throws Exception {
        start(1);
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, servers.knownHostsLine(0) + "\n@revoked * " + servers.hostKeyEntry(0) + "\n");

        ActionResult r = action.execute(spec("echo never", 1, "web1"), ctx(env(pwHost("web1", 0))));

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).contains("REVOKED HOST KEY DETECTED").contains(servers.fingerprint(0));
        assertThat(servers.commands(0)).isEmpty();
    }

    @Test
    void certAuthorityLinesAreRefusedExplicitly() throws Exception {
        start(1);
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(knownHosts, "@cert-authority *.example.com " + servers.hostKeyEntry(0) + "\n");

        ActionResult r = action.execute(
                spec("echo never", 1, "web1"),
                ctx(
                        env(pwHost("web1", 0)),
                        new Resources(),
                        new Policy(true),
                        false,
                        Duration.ofSeconds(10),
                        new Cancellation()));

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).contains("@cert-authority").contains("not checked by runbook");
        assertThat(servers.commands(0)).isEmpty();
    }
}
