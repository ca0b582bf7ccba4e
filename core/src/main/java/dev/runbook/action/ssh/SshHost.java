package dev.runbook.action.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * One inventory host with everything needed to connect, after {@code ~/.ssh/config} filled
 * in what the inventory left out ({@link HostResolver}).
 *
 * @param name the inventory host name (what output lines and results are keyed by)
 * @param address host name or IP to connect to
 * @param port TCP port (22 unless the inventory or the ssh config says otherwise)
 * @param user login user
 * @param identityFiles private keys to offer, in order, {@code ~} expanded; only existing files
 * @param passphrase template of the keys' passphrase ({@code ${secrets.NAME}}); null for none
 * @param password template of the password ({@code ${secrets.NAME}}); null for none
 * @param knownHosts the known_hosts file that verifies this host's key
 * @param jump the inventory name of the host to tunnel through (the inventory's {@code jump:});
 *     null for none
 * @param hostKeyAlias ssh_config(5) {@code HostKeyAlias}: the name the host key is looked up
 *     under in known_hosts; null for the address
 * @param proxyJump ssh_config(5) {@code ProxyJump} hops, first hop first, when the inventory
 *     gives no {@code jump:}; empty for a direct connection ({@code ProxyJump none} or none set)
 * @param identitiesOnly ssh_config(5) {@code IdentitiesOnly}: offer only the identity files (an
 *     agent key only when it is one of them), never the agent's other keys
 * @param connectTimeoutMs ssh_config(5) {@code ConnectTimeout} in ms; null for the step's limit
 * @param identityAgent the ssh-agent socket ({@code IdentityAgent}, else {@code SSH_AUTH_SOCK});
 *     null for no agent
 */
public record SshHost(
        String name,
        String address,
        int port,
        String user,
        List<Path> identityFiles,
        String passphrase,
        String password,
        Path knownHosts,
        String jump,
        String hostKeyAlias,
        List<SshHost> proxyJump,
        boolean identitiesOnly,
        Integer connectTimeoutMs,
        Path identityAgent) {

    /** A host with no ProxyJump, no agent and OpenSSH's defaults for the other client options. */
    public SshHost(
            String name,
            String address,
            int port,
            String user,
            List<Path> identityFiles,
            String passphrase,
            String password,
            Path knownHosts,
            String jump,
            String hostKeyAlias) {
        this(
                name,
                address,
                port,
                user,
                identityFiles,
                passphrase,
                password,
                knownHosts,
                jump,
                hostKeyAlias,
                List.of(),
                false,
                null,
                null);
    }

    /** This host as a later hop of a ProxyJump chain: its own ProxyJump does not apply there (ssh(1) -J). */
    public SshHost withoutProxyJump() {
        return new SshHost(
                name,
                address,
                port,
                user,
                identityFiles,
                passphrase,
                password,
                knownHosts,
                jump,
                hostKeyAlias,
                List.of(),
                identitiesOnly,
                connectTimeoutMs,
                identityAgent);
    }

    /** {@code user@address:port}, how a ProxyJump hop is shown and keyed. */
    public String userHostPort() {
        return user + "@" + hostPort();
    }

    /** {@code address:port}, as shown to the operator and given to the host-key policy. */
    public String hostPort() {
        return address + ":" + port;
    }

    /**
     * The host as OpenSSH writes it in known_hosts: {@code address} on port 22,
     * {@code [address]:port} otherwise (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT").
     */
    public String knownHostsName() {
        if (hostKeyAlias != null) {
            return hostKeyAlias;
        }
        return port == 22 ? address : "[" + address + "]:" + port;
    }
}
