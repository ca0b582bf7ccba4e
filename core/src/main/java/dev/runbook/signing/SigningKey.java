package dev.runbook.signing;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.SSHAgentConnector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Optional;
import java.util.Vector;

/**
 * An SSH key that signs incident logs: a private key file or the first key an ssh-agent offers,
 * both through JSch (no home-made cryptography). The key is chosen as the order says:
 * {@code --signing-key FILE}, else {@code $RUNBOOK_SIGNING_KEY}, else the first key of the agent
 * at {@code $SSH_AUTH_SOCK}; with none, logs are closed unsigned.
 */
public interface SigningKey {

    /** The public key, SSH wire format. */
    byte[] publicKeyBlob();

    /**
     * Signs data.
     *
     * @return the SSH signature blob: {@code string(type) || string(signature)}
     * @throws GeneralSecurityException when the key cannot sign
     */
    byte[] sign(byte[] data) throws GeneralSecurityException;

    /** Where it comes from, for messages ({@code key file ~/.ssh/id_ed25519}, {@code ssh-agent}). */
    String source();

    /**
     * Finds the signing key.
     *
     * @param flag {@code --signing-key}, or null
     * @param env the process environment
     * @return the key, or empty when none is configured and no agent offers one
     * @throws IllegalArgumentException when a configured key file cannot be used (one line)
     */
    static Optional<SigningKey> find(Path flag, Map<String, String> env) {
        Path file = flag != null
                ? flag
                : env.get("RUNBOOK_SIGNING_KEY") != null
                                && !env.get("RUNBOOK_SIGNING_KEY").isBlank()
                        ? Path.of(env.get("RUNBOOK_SIGNING_KEY"))
                        : null;
        if (file != null) {
            return Optional.of(fromFile(file));
        }
        String sock = env.get("SSH_AUTH_SOCK");
        if (sock != null && !sock.isBlank() && Files.exists(Path.of(sock))) {
            return fromAgent(Path.of(sock));
        }
        return Optional.empty();
    }

    /** A private key file without passphrase (OpenSSH, PEM or PuTTY format, as JSch reads them). */
    static SigningKey fromFile(Path file) {
        KeyPair kp;
        try {
            kp = KeyPair.load(new JSch(), file.toString());
        } catch (JSchException e) {
            throw new IllegalArgumentException("signing key " + file + ": cannot read it: " + e.getMessage());
        }
        if (kp.isEncrypted()) {
            throw new IllegalArgumentException("signing key " + file + " has a passphrase: load it into ssh-agent");
        }
        String alg = kp.getKeyTypeString().equals("ssh-rsa") ? "rsa-sha2-512" : kp.getKeyTypeString();
        byte[] pub = kp.getPublicKeyBlob();
        return new SigningKey() {
            @Override
            public byte[] publicKeyBlob() {
                return pub;
            }

            @Override
            public byte[] sign(byte[] data) throws GeneralSecurityException {
                byte[] s = kp.getSignature(data, alg);
                if (s == null) {
                    throw new GeneralSecurityException("the key " + file + " could not sign");
                }
                return s;
            }

            @Override
            public String source() {
                return "key file " + file;
            }
        };
    }

    /** The first key the agent listening on {@code socket} offers. */
    static Optional<SigningKey> fromAgent(Path socket) {
        Vector<Identity> ids;
        try {
            ids = new AgentIdentityRepository(new SSHAgentConnector(socket)).getIdentities();
        } catch (com.jcraft.jsch.AgentProxyException | RuntimeException e) {
            return Optional.empty();
        }
        if (ids == null || ids.isEmpty()) {
            return Optional.empty();
        }
        Identity id = ids.get(0);
        String alg = id.getAlgName().equals("ssh-rsa") ? "rsa-sha2-512" : id.getAlgName();
        return Optional.of(new SigningKey() {
            @Override
            public byte[] publicKeyBlob() {
                return id.getPublicKeyBlob();
            }

            @Override
            public byte[] sign(byte[] data) throws GeneralSecurityException {
                byte[] s = id.getSignature(data, alg);
                if (s == null) {
                    throw new GeneralSecurityException("ssh-agent refused to sign");
                }
                return s;
            }

            @Override
            public String source() {
                return "ssh-agent key " + id.getName();
            }
        });
    }
}
