package dev.runbook.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 (FIPS 180-4) as lowercase hex: the one digest of the project (a runbook's {@code sha256},
 * the log's hash chain {@code prev}, an approval's {@code command_sha256}; contract, "Incident log").
 */
public final class Sha256 {

    private Sha256() {}

    /**
     * @param bytes what to digest
     * @return 64 lowercase hex characters
     */
    public static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e); // every JDK has it
        }
    }

    /**
     * @param text what to digest, as its UTF-8 bytes
     * @return 64 lowercase hex characters
     */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
