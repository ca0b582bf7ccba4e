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
 * @param jump the inventory name of the host to tunnel through (ProxyJump); null for none
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
        String hostKeyAlias) {

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
