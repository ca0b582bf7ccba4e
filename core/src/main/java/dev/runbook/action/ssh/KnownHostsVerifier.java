package dev.runbook.action.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import dev.runbook.action.ActionContext.HostKeyPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Host-key verification for one host against one OpenSSH known_hosts file, used as JSch's
 * {@link HostKeyRepository} with {@code StrictHostKeyChecking=yes} (the key is always
 * checked; nothing is ever accepted silently).
 *
 * <ul>
 *   <li>Known key: accepted.</li>
 *   <li>Unknown host: the {@link HostKeyPolicy} is asked (one question at a time across
 *       threads); when it trusts the key, a line {@code NAME TYPE BASE64} is appended to the
 *       file (file and directory created when missing) and the connection goes on; otherwise
 *       JSch rejects the key and {@link #outcome()} is {@link Outcome#REFUSED}.</li>
 *   <li>A key different from the recorded one of the same type: always refused
 *       ({@link Outcome#CHANGED}), whatever the policy says, like OpenSSH.</li>
 * </ul>
 *
 * Hashed entries ({@code |1|…}) and {@code [host]:port} entries are matched by JSch's own
 * known_hosts parser.
 */
public final class KnownHostsVerifier implements HostKeyRepository {

    /** What the check of the server's key decided. */
    public enum Outcome {
        /** Not checked yet (the connection failed before). */
        NONE,
        /** The key was in known_hosts. */
        KNOWN,
        /** Unknown; the policy trusted it and it was recorded. */
        TRUSTED,
        /** Unknown; the policy refused it. */
        REFUSED,
        /** Known host with another key: refused. */
        CHANGED,
        /** The key is listed under {@code @revoked}: refused, whatever other lines say (sshd(8), "SSH_KNOWN_HOSTS FILE FORMAT"). */
        REVOKED,
        /** Unknown, and known_hosts trusts host certificates ({@code @cert-authority}), which runbook does not check: refused. */
        CERTIFICATES
    }

    private static final Object POLICY_LOCK = new Object();

    private final SshHost host;
    private final HostKeyPolicy policy;
    private final HostKeyRepository known;
    private volatile Outcome outcome = Outcome.NONE;
    private volatile String keyType;
    private volatile String fingerprint;

    /**
     * @param host the host being connected to ({@link SshHost#knownHosts()} is the file)
     * @param policy decides about unknown keys
     * @throws UncheckedIOException when the known_hosts file exists but cannot be parsed
     */
    public KnownHostsVerifier(SshHost host, HostKeyPolicy policy) {
        this.host = host;
        this.policy = policy;
        JSch parser = new JSch();
        try {
            if (Files.isRegularFile(host.knownHosts())) {
                parser.setKnownHosts(host.knownHosts().toString());
            }
        } catch (JSchException e) {
            throw new UncheckedIOException(
                    new IOException("cannot read " + host.knownHosts() + ": " + e.getMessage(), e));
        }
        this.known = parser.getHostKeyRepository();
        readMarkers(host.knownHosts());
    }

    private final java.util.List<byte[]> revoked = new java.util.ArrayList<>();
    private boolean certAuthorities;

    /** The {@code @revoked} keys and whether any {@code @cert-authority} line is present. */
    private void readMarkers(Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].equals("@revoked")) {
                    try {
                        revoked.add(Base64.getDecoder().decode(f[3]));
                    } catch (IllegalArgumentException notBase64) {
                        // a broken line revokes nothing
                    }
                } else if (f.length >= 1 && f[0].equals("@cert-authority")) {
                    certAuthorities = true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot read " + file + ": " + e.getMessage(), e));
        }
    }

    @Override
    public int check(String hostName, byte[] key) {
        keyType = keyType(key);
        fingerprint = fingerprint(key);
        for (byte[] r : revoked) {
            if (java.util.Arrays.equals(r, key)) {
                outcome = Outcome.REVOKED;
                return NOT_INCLUDED;
            }
        }
        int r = known.check(hostName, key);
        if (r == OK) {
            outcome = Outcome.KNOWN;
            return OK;
        }
        if (r == CHANGED) {
            outcome = Outcome.CHANGED;
            return CHANGED;
        }
        if (certAuthorities) {
            outcome = Outcome.CERTIFICATES;
            return NOT_INCLUDED;
        }
        boolean trusted;
        synchronized (POLICY_LOCK) {
            trusted = policy.trust(host.name(), host.hostPort(), keyType, fingerprint);
        }
        if (!trusted) {
            outcome = Outcome.REFUSED;
            return NOT_INCLUDED;
        }
        record(hostName, key);
        outcome = Outcome.TRUSTED;
        return OK;
    }

    private void record(String hostName, byte[] key) {
        Path file = host.knownHosts();
        String line = hostName + " " + keyType + " " + Base64.getEncoder().encodeToString(key) + "\n";
        try {
            synchronized (POLICY_LOCK) {
                Path dir = file.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                String prefix = "";
                if (Files.size(touch(file)) > 0) {
                    byte[] all = Files.readAllBytes(file);
                    prefix = all[all.length - 1] == '\n' ? "" : "\n";
                }
                Files.writeString(file, prefix + line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot record the host key of " + host.name() + " in " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path touch(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        return file;
    }

    /** What the last check decided. */
    public Outcome outcome() {
        return outcome;
    }

    /** The server key's type ({@code ssh-ed25519}); null before a check. */
    public String keyType() {
        return keyType;
    }

    /** The server key's {@code SHA256:…} fingerprint; null before a check. */
    public String fingerprint() {
        return fingerprint;
    }

    /** JSch never adds keys itself with strict checking; recording is done in {@link #check}. */
    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // StrictHostKeyChecking=yes: JSch does not insert; trusted keys are recorded in check()
    }

    @Override
    public void remove(String hostName, String type) {
        throw new UnsupportedOperationException("known_hosts is only appended to");
    }

    @Override
    public void remove(String hostName, String type, byte[] key) {
        throw new UnsupportedOperationException("known_hosts is only appended to");
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return host.knownHosts().toString();
    }

    @Override
    public HostKey[] getHostKey() {
        return known.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String hostName, String type) {
        return known.getHostKey(hostName, type);
    }

    /**
     * The OpenSSH fingerprint of a public key blob: {@code SHA256:} and the unpadded Base64
     * of its SHA-256 digest (as {@code ssh-keygen -lf} prints it).
     */
    public static String fingerprint(byte[] keyBlob) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The key type named at the start of an SSH public key blob (RFC 4253, section 6.6:
     * a string, then the key data), for example {@code ssh-ed25519}; {@code unknown} when
     * the blob is malformed.
     */
    public static String keyType(byte[] keyBlob) {
        if (keyBlob.length < 4) {
            return "unknown";
        }
        int n = ((keyBlob[0] & 0xff) << 24)
                | ((keyBlob[1] & 0xff) << 16)
                | ((keyBlob[2] & 0xff) << 8)
                | (keyBlob[3] & 0xff);
        if (n <= 0 || n > keyBlob.length - 4) {
            return "unknown";
        }
        return new String(keyBlob, 4, n, StandardCharsets.US_ASCII);
    }
}
