package dev.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.action.ActionContext.HostKeyPolicy;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Inventory;
import dev.runbook.template.Masker;
import dev.runbook.template.Renderer;
import dev.runbook.template.Scope;
import dev.runbook.testing.OpenSshServer;
import dev.runbook.testing.TcpProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's own OpenSSH client set-up against the real {@code sshd} and a real
 * {@code ssh-agent} (issue 12, item 4): keys from the agent before identity files,
 * {@code IdentitiesOnly}, {@code ProxyJump} chains and {@code none} from {@code ~/.ssh/config}
 * reached through {@code Include}, with {@code HostKeyAlias} and {@code UserKnownHostsFile}.
 * Each jump host is a TCP relay in front of the one sshd that counts its connections, so a
 * ProxyJump that is silently ignored (a direct connection) fails the test.
 */
@Tag("host")
class OpenSshClientConfigTest {

    @TempDir
    static Path tmp;

    private static OpenSshServer sshd;
    private static String user;
    private static Process agent;
    private static Path agentSocket;
    private static Path otherKey;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(OpenSshServer.available(), "OpenSSH sshd is not installed (apt-get install openssh-server)");
        sshd = OpenSshServer.start(tmp);
        user = OpenSshServer.user();
        agentSocket = tmp.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", agentSocket.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("agent.log").toFile())
                .start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(agentSocket) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(agentSocket).exists();
        otherKey = tmp.resolve("id_other");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString());
        run("ssh-add", otherKey.toString()); // a key the server does not accept, first in the agent
        run("ssh-add", sshd.clientKey().toString());
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.destroyForcibly();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SSH_AUTH_SOCK", agentSocket.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    /** A home directory with no default key, its ~/.ssh/config made of {@code config}. */
    private static Path home(String name, String config) throws IOException {
        Path home = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/config"), config);
        return home;
    }

    /** The sshd through a hop of its own: a relay, known under the sshd's known_hosts name. */
    private static String hop(String alias, TcpProxy relay) {
        return "Host " + alias + "\n  HostName 127.0.0.1\n  Port " + relay.port() + "\n  User " + user
                + "\n  IdentityFile " + sshd.clientKey() + "\n  HostKeyAlias [127.0.0.1]:" + sshd.port()
                + "\n  UserKnownHostsFile " + sshd.knownHosts() + "\n";
    }

    private static ActionResult runOn(Inventory.Host host, SshAction action) throws InterruptedException {
        return runOn(host, action, Map.of());
    }

    private static ActionResult runOn(Inventory.Host host, SshAction action, Map<String, String> processEnv)
            throws InterruptedException {
        Scope scope = new Scope();
        Masker masker = new Masker();
        Inventory.Environment env = new Inventory.Environment(
                "test", false, Map.of(), Map.of(), Map.of(host.name(), host), Map.of(), List.of());
        List<String> lines = new ArrayList<>();
        Output output = new Output() {
            @Override
            public void line(String source, String line) {
                lines.add(line);
            }

            @Override
            public void progress(String text) {}
        };
        try (Resources resources = new Resources()) {
            return action.execute(
                    new ActionSpec.Ssh(
                            List.of(host.name()), "echo reached-$USER", 1, ActionSpec.ExecExpect.DEFAULT, false),
                    new ActionContext(
                            "step",
                            new Renderer(scope.toMap(), masker, false),
                            Duration.ofSeconds(20),
                            env,
                            resources,
                            output,
                            masker,
                            new Cancellation(),
                            HostKeyPolicy.REFUSE,
                            false,
                            processEnv));
        }
    }

    private static Inventory.Host direct(String name, String identityFile) {
        return new Inventory.Host(
                name,
                "127.0.0.1",
                sshd.port(),
                user,
                identityFile,
                null,
                null,
                sshd.knownHosts().toString(),
                null);
    }

    @Test
    void theAgentsKeysAuthenticateWhenNoIdentityFileIsGiven() throws Exception {
        Path home = home("agent", "");
        ActionResult without = runOn(direct("web1", null), new SshAction(home, null, null));
        assertThat(without.error()).contains("authentication failed").contains("offered: nothing");

        ActionResult with = runOn(direct("web1", null), new SshAction(home, null, agentSocket));
        assertThat(with.error()).as(String.valueOf(with.fields())).isNull();
        assertThat(String.valueOf(with.fields())).contains("reached-" + user);

        // an identity file the agent does not hold: offered after the agent's keys, never added to it
        Path third = tmp.resolve("id_third");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", third.toString());
        ActionResult both = runOn(direct("web1", third.toString()), new SshAction(home, null, agentSocket));
        assertThat(both.error()).as(String.valueOf(both.fields())).isNull();
        assertThat(agentKeys()).hasSize(2);
    }

    /**
     * The standard action takes the agent from the invocation's {@code SSH_AUTH_SOCK} (what a run
     * in-process, a test or a drill was given), not from the JVM's environment.
     */
    @Test
    void theAgentIsTheOneOfTheInvocationsEnvironment() throws Exception {
        Path home = home("agent-of-invocation", "");
        SshAction standard = new SshAction(home, null);
        ActionResult with = runOn(direct("web1", null), standard, Map.of("SSH_AUTH_SOCK", agentSocket.toString()));
        assertThat(with.error()).as(String.valueOf(with.fields())).isNull();
        assertThat(String.valueOf(with.fields())).contains("reached-" + user);

        ActionResult without = runOn(direct("web1", null), standard, Map.of());
        assertThat(without.error()).contains("offered: nothing");
        ActionResult blank = runOn(direct("web1", null), standard, Map.of("SSH_AUTH_SOCK", " "));
        assertThat(blank.error()).contains("offered: nothing");
    }

    /** The agent's keys, as {@code ssh-add -l} lists them. */
    private static List<String> agentKeys() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("ssh-add", "-l").redirectErrorStream(true);
        pb.environment().put("SSH_AUTH_SOCK", agentSocket.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.lines().toList();
    }

    @Test
    void identitiesOnlyOffersNoneOfTheAgentsOtherKeys() throws Exception {
        // the identity file is the refused key; the agent holds the accepted one too, but may not offer it
        Path home = home("only", "Host 127.0.0.1\n  IdentitiesOnly yes\n");
        ActionResult r = runOn(direct("web1", otherKey.toString()), new SshAction(home, null, agentSocket));
        assertThat(r.error()).contains("authentication failed").contains("IdentitiesOnly");

        // IdentityAgent none in the config: no agent, whatever SSH_AUTH_SOCK says
        Path none = home("agent-none", "Host 127.0.0.1\n  IdentityAgent none\n");
        ActionResult n = runOn(direct("web1", null), new SshAction(none, null, agentSocket));
        assertThat(n.error()).contains("offered: nothing");
    }

    @Test
    void aProxyJumpChainFromAnIncludedConfigIsTakenHopByHop() throws Exception {
        try (TcpProxy first = new TcpProxy(sshd.port());
                TcpProxy second = new TcpProxy(sshd.port())) {
            Path home = home("jump", "Include config.d/*.conf\n\nHost web1\n  ProxyJump bastion1,bastion2\n");
            Files.createDirectories(home.resolve(".ssh/config.d"));
            Files.writeString(
                    home.resolve(".ssh/config.d/10-bastions.conf"), hop("bastion1", first) + hop("bastion2", second));
            Files.writeString(
                    home.resolve(".ssh/config.d/20-web.conf"),
                    "Host web1\n  HostName 127.0.0.1\n  Port " + sshd.port() + "\n  User " + user + "\n  IdentityFile "
                            + sshd.clientKey() + "\n  UserKnownHostsFile " + sshd.knownHosts() + "\n");
            Inventory.Host web1 = new Inventory.Host("web1", null, null, null, null, null, null, null, null);

            ActionResult r = runOn(web1, new SshAction(home, null, null));

            assertThat(r.error()).as(String.valueOf(r.fields())).isNull();
            assertThat(String.valueOf(r.fields())).contains("reached-" + user);
            assertThat(first.accepted()).as("connections through the first hop").isEqualTo(1);
            assertThat(second.accepted())
                    .as("connections to the second hop (from the first)")
                    .isEqualTo(1);

            // a jump host's key is verified like any host's: an unknown one is refused, and nothing runs
            Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
            Files.writeString(
                    home.resolve(".ssh/config.d/10-bastions.conf"),
                    hop("bastion1", first).replace(sshd.knownHosts().toString(), empty.toString())
                            + hop("bastion2", second));
            ActionResult refused = runOn(web1, new SshAction(home, null, null));
            assertThat(refused.error()).contains("bastion1").contains("unknown host key");
            assertThat(second.accepted())
                    .as("nothing went past the refused hop")
                    .isEqualTo(1);
        }
    }

    @Test
    void proxyJumpNoneConnectsDirectlyAndABadHopSaysWhichHost() throws Exception {
        try (TcpProxy relay = new TcpProxy(sshd.port())) {
            Path home = home(
                    "jump-none",
                    hop("bastion", relay) + "Host 127.0.0.1\n  ProxyJump none\nHost *\n  ProxyJump bastion\n");
            ActionResult r = runOn(direct("web1", sshd.clientKey().toString()), new SshAction(home, null, null));
            assertThat(r.error()).as(String.valueOf(r.fields())).isNull();
            assertThat(relay.accepted()).isZero();
        }
        Path bad = home("jump-loop", "Host *\n  ProxyJump loopy\n");
        ActionResult loop = runOn(direct("web1", sshd.clientKey().toString()), new SshAction(bad, null, null));
        assertThat(loop.error()).contains("ProxyJump chain longer than");
    }
}
