package dev.runbook.action.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshHostResolverTest {

    @TempDir
    Path home;

    private static Inventory.Host host(
            String name, String address, Integer port, String user, String identity, String knownHosts) {
        return new Inventory.Host(name, address, port, user, identity, null, null, knownHosts, null);
    }

    @Test
    void inventoryFieldsWinOverSshConfigWhichWinsOverDefaults() throws Exception {
        Path config = home.resolve(".ssh/config");
        Files.createDirectories(config.getParent());
        Files.writeString(
                config,
                "Host web1\n  HostName 10.0.0.5\n  Port 2200\n  User ops\n"
                        + "  IdentityFile ~/.ssh/web_key\n\nHost db1.internal\n  HostName 10.0.0.9\n");
        HostResolver r = new HostResolver(home, config);

        SshHost fromConfig = r.resolve(host("web1", null, null, null, null, null));
        SshHost overridden = r.resolve(host("web1", null, 22, "deploy", "/keys/id", "~/kh"));
        SshHost byAddress = r.resolve(host("db", "db1.internal", null, "pg", null, null));

        assertThat(fromConfig)
                .isEqualTo(new SshHost(
                        "web1",
                        "10.0.0.5",
                        2200,
                        "ops",
                        List.of(home.resolve(".ssh/web_key")),
                        null,
                        null,
                        home.resolve(".ssh/known_hosts"),
                        null,
                        null));
        assertThat(overridden.address()).isEqualTo("10.0.0.5");
        assertThat(overridden.port()).isEqualTo(22);
        assertThat(overridden.user()).isEqualTo("deploy");
        assertThat(overridden.identityFiles()).containsExactly(Path.of("/keys/id"));
        assertThat(overridden.knownHosts()).isEqualTo(home.resolve("kh"));
        assertThat(byAddress.address()).isEqualTo("10.0.0.9");
        assertThat(byAddress.port()).isEqualTo(22);
    }

    @Test
    void withoutConfigDefaultsAreOpenSshsAndOnlyExistingDefaultKeysAreOffered() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_rsa"), "key");
        HostResolver r = new HostResolver(home, home.resolve(".ssh/config"));

        SshHost h = r.resolve(host("app", "192.0.2.1", null, null, null, null));

        assertThat(h.port()).isEqualTo(22);
        assertThat(h.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(h.identityFiles()).containsExactly(home.resolve(".ssh/id_rsa"));
        assertThat(h.knownHostsName()).isEqualTo("192.0.2.1");
        assertThat(new SshHost("a", "192.0.2.1", 2222, "u", List.of(), null, null, h.knownHosts(), null, null)
                        .knownHostsName())
                .isEqualTo("[192.0.2.1]:2222");
    }

    @Test
    void tildeIsTheInjectedHome() {
        HostResolver r = new HostResolver(home, null);
        assertThat(r.expand("~")).isEqualTo(home);
        assertThat(r.expand("~/.ssh/id")).isEqualTo(home.resolve(".ssh/id"));
        assertThat(r.expand("/etc/ssh/key")).isEqualTo(Path.of("/etc/ssh/key"));
    }

    @Test
    void namesExpandGroupsInOrderEachHostOnceAndUnknownNamesListWhatExists() {
        Map<String, Inventory.Host> hosts = new LinkedHashMap<>();
        for (String n : List.of("web1", "web2", "db1")) {
            hosts.put(n, host(n, null, null, null, null, null));
        }
        var env = new Inventory.Environment(
                "prod", true, Map.of(), Map.of(), hosts, Map.of("web", List.of("web1", "web2")), List.of());

        assertThat(HostResolver.expandNames(List.of("db1", "web", "web1"), env)).containsExactly("db1", "web1", "web2");
        assertThatThrownBy(() -> HostResolver.expandNames(List.of("web", "cache"), env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown host or group 'cache' in environment 'prod'; known hosts: web1, web2, db1;"
                        + " known groups: web");
    }

    /** ssh_config(5): Include in place (glob order, inside a block only for it), repeated blocks, client options. */
    @Test
    void includesRepeatedBlocksAndClientOptionsAreReadAsOpenSshDoes() throws Exception {
        Path ssh = Files.createDirectories(home.resolve(".ssh/conf.d"));
        Files.writeString(ssh.resolve("b.conf"), "Host web1\n  User second\n");
        Files.writeString(ssh.resolve("a.conf"), "Host web1\n  User first\n  Port 2201\n");
        Files.writeString(ssh.resolve("inner.conf"), "  ConnectTimeout 7\n");
        Files.writeString(
                home.resolve(".ssh/config"),
                "Include conf.d/?.conf ~/.ssh/conf.d/missing.conf\n"
                        + "Host db1\n  Include conf.d/inner.conf\n  HostName 10.0.0.9\n"
                        + "Host web1\n  HostName 10.0.0.5\n  IdentitiesOnly yes\n  IdentityAgent ~/agent.sock\n"
                        + "  ProxyJump ops@bastion:2222,[2001:db8::1]\n"
                        + "Host web1\n  HostKeyAlias web-alias\n");
        HostResolver r = new HostResolver(home, home.resolve(".ssh/config"), Path.of("/run/agent"));

        SshHost web1 = r.resolve(host("web1", null, null, null, null, null));
        assertThat(web1.user()).isEqualTo("first"); // a.conf before b.conf, first value wins
        assertThat(web1.port()).isEqualTo(2201);
        assertThat(web1.address()).isEqualTo("10.0.0.5");
        assertThat(web1.hostKeyAlias()).isEqualTo("web-alias"); // the second web1 block still applies
        assertThat(web1.identitiesOnly()).isTrue();
        assertThat(web1.identityAgent()).isEqualTo(home.resolve("agent.sock"));
        assertThat(web1.connectTimeoutMs()).isNull(); // inner.conf was included inside db1's block only
        assertThat(web1.proxyJump())
                .extracting(SshHost::userHostPort)
                .containsExactly("ops@bastion:2222", System.getProperty("user.name") + "@2001:db8::1:22");

        SshHost db1 = r.resolve(host("db1", null, null, null, null, null));
        assertThat(db1.connectTimeoutMs()).isEqualTo(7000);
        assertThat(db1.address()).isEqualTo("10.0.0.9"); // the line after the Include is db1's again
        assertThat(db1.identityAgent()).isEqualTo(Path.of("/run/agent")); // SSH_AUTH_SOCK by default
        assertThat(db1.proxyJump()).isEmpty();
    }
}
