package dev.runbook.signing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * OpenSSH's signature format {@code SSHSIG} (OpenSSH's PROTOCOL.sshsig), as {@code ssh-keygen -Y
 * sign} writes it and {@code ssh-keygen -Y verify} checks it: the message is hashed with SHA-512,
 * and the key signs {@code "SSHSIG" || namespace || reserved || "sha512" || H(message)}; the result
 * is armored between {@code -----BEGIN SSH SIGNATURE-----} lines. The signing itself is done by
 * the key ({@link SigningKey}: JSch for key files and ssh-agent); verification uses the JDK's
 * {@code Ed25519} and {@code SHA512withRSA}.
 */
public final class SshSig {

    /** The namespace of incident logs: a signature made for another purpose does not verify here. */
    public static final String NAMESPACE = "runbook-incident";

    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String END = "-----END SSH SIGNATURE-----";

    private SshSig() {}

    /**
     * Signs a message.
     *
     * @param message the bytes signed (an incident log's exact bytes)
     * @param key the signer
     * @param namespace what the signature is for ({@link #NAMESPACE})
     * @return the armored signature, as {@code ssh-keygen -Y sign} writes it
     * @throws GeneralSecurityException when the key cannot sign
     */
    public static String sign(byte[] message, SigningKey key, String namespace) throws GeneralSecurityException {
        byte[] signed = toSign(message, namespace);
        byte[] signature = key.sign(signed);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(blob)) {
            out.write(MAGIC);
            out.writeInt(1);
            string(out, key.publicKeyBlob());
            string(out, namespace.getBytes(StandardCharsets.UTF_8));
            string(out, new byte[0]);
            string(out, "sha512".getBytes(StandardCharsets.US_ASCII));
            string(out, signature);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String b64 = Base64.getEncoder().encodeToString(blob.toByteArray());
        StringBuilder armored = new StringBuilder(BEGIN).append('\n');
        for (int i = 0; i < b64.length(); i += 70) {
            armored.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
        }
        return armored.append(END).append('\n').toString();
    }

    /**
     * A signature read back.
     *
     * @param publicKeyBlob the signer's public key (SSH wire format)
     * @param namespace its namespace
     * @param valid true when the signature matches the message under that key
     */
    public record Checked(byte[] publicKeyBlob, String namespace, boolean valid) {

        /** The key as an authorized_keys / allowed_signers line would write it: {@code TYPE BASE64}. */
        public String publicKey() {
            return keyType(publicKeyBlob) + " " + Base64.getEncoder().encodeToString(publicKeyBlob);
        }

        /** {@code SHA256:…} fingerprint, as ssh-keygen -l prints it. */
        public String fingerprint() {
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(publicKeyBlob);
                return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(h);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Checks an armored signature against a message.
     *
     * @param message the bytes
     * @param armored the signature file's text
     * @param namespace the namespace it must have
     * @return what was found; {@code valid} false when it does not match or is for another namespace
     * @throws IllegalArgumentException when the text is not an SSHSIG signature, or uses a key
     *     type that cannot be checked here (Ed25519 and RSA can)
     */
    public static Checked check(byte[] message, String armored, String namespace) {
        String body = armored.replace(BEGIN, "").replace(END, "").replaceAll("\\s", "");
        ByteBuffer b;
        try {
            b = ByteBuffer.wrap(Base64.getDecoder().decode(body));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an SSH signature (bad base64)");
        }
        byte[] magic = new byte[6];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC) || b.getInt() != 1) {
            throw new IllegalArgumentException("not an SSH signature (no SSHSIG header)");
        }
        byte[] pub = string(b);
        String ns = new String(string(b), StandardCharsets.UTF_8);
        string(b); // reserved
        String hash = new String(string(b), StandardCharsets.US_ASCII);
        ByteBuffer sig = ByteBuffer.wrap(string(b));
        String sigType = new String(string(sig), StandardCharsets.US_ASCII);
        byte[] sigBytes = string(sig);
        if (!hash.equals("sha512") && !hash.equals("sha256")) {
            throw new IllegalArgumentException("unknown hash " + hash);
        }
        byte[] signed;
        try {
            signed = toSign(message, ns, hash);
            Signature v = verifier(sigType);
            v.initVerify(publicKey(pub));
            v.update(signed);
            boolean ok = v.verify(sigBytes) && ns.equals(namespace);
            return new Checked(pub, ns, ok);
        } catch (GeneralSecurityException e) {
            return new Checked(pub, ns, false);
        }
    }

    private static byte[] toSign(byte[] message, String namespace) throws GeneralSecurityException {
        return toSign(message, namespace, "sha512");
    }

    private static byte[] toSign(byte[] message, String namespace, String hash) throws GeneralSecurityException {
        byte[] h = MessageDigest.getInstance(hash.equals("sha512") ? "SHA-512" : "SHA-256")
                .digest(message);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(data)) {
            out.write(MAGIC);
            string(out, namespace.getBytes(StandardCharsets.UTF_8));
            string(out, new byte[0]);
            string(out, hash.getBytes(StandardCharsets.US_ASCII));
            string(out, h);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return data.toByteArray();
    }

    private static Signature verifier(String sigType) throws GeneralSecurityException {
        return switch (sigType) {
            case "ssh-ed25519" -> Signature.getInstance("Ed25519");
            case "rsa-sha2-512" -> Signature.getInstance("SHA512withRSA");
            case "rsa-sha2-256" -> Signature.getInstance("SHA256withRSA");
            default ->
                throw new IllegalArgumentException("signature type " + sigType + " cannot be checked here"
                        + " (Ed25519 and RSA can): check it with ssh-keygen -Y verify");
        };
    }

    /** A public key from its SSH wire blob (RFC 4253 6.6, RFC 8709). */
    static PublicKey publicKey(byte[] blob) throws GeneralSecurityException {
        ByteBuffer b = ByteBuffer.wrap(blob);
        String type = new String(string(b), StandardCharsets.US_ASCII);
        switch (type) {
            case "ssh-ed25519" -> {
                byte[] raw = string(b);
                byte[] der = HexFormat.of().parseHex("302a300506032b6570032100");
                byte[] spki = new byte[der.length + raw.length];
                System.arraycopy(der, 0, spki, 0, der.length);
                System.arraycopy(raw, 0, spki, der.length, raw.length);
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            }
            case "ssh-rsa" -> {
                BigInteger e = new BigInteger(string(b));
                BigInteger n = new BigInteger(string(b));
                return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
            }
            default ->
                throw new IllegalArgumentException("key type " + type + " cannot be checked here (Ed25519 and"
                        + " RSA can): check the signature with ssh-keygen -Y verify");
        }
    }

    /** The key type named in a public key blob ({@code ssh-ed25519}). */
    static String keyType(byte[] blob) {
        return new String(string(ByteBuffer.wrap(blob)), StandardCharsets.US_ASCII);
    }

    private static void string(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] string(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("not an SSH signature (truncated)");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }
}
