package dev.runbook.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * An OpenSSH {@code allowed_signers} file (ssh-keygen(1), "ALLOWED SIGNERS"): one line per key,
 * {@code principals [options] keytype base64 [comment]}, the principals comma-separated.
 */
public final class AllowedSigners {

    /**
     * One line.
     *
     * @param principals its principals, in order (the first names the person)
     * @param publicKeyBlob its key, SSH wire format
     */
    public record Signer(List<String> principals, byte[] publicKeyBlob) {}

    private final List<Signer> signers;

    private AllowedSigners(List<Signer> signers) {
        this.signers = signers;
    }

    /**
     * Reads a file.
     *
     * @throws IOException when it cannot be read
     */
    public static AllowedSigners read(Path file) throws IOException {
        List<Signer> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            int k = 1;
            while (k < f.length && !isKeyType(f[k])) {
                k++; // options (namespaces="…", valid-after=…)
            }
            if (k + 1 >= f.length) {
                continue;
            }
            try {
                out.add(new Signer(List.of(f[0].split(",")), Base64.getDecoder().decode(f[k + 1])));
            } catch (IllegalArgumentException notBase64) {
                // a broken line names nobody
            }
        }
        return new AllowedSigners(out);
    }

    private static boolean isKeyType(String s) {
        return s.startsWith("ssh-") || s.startsWith("ecdsa-") || s.startsWith("sk-");
    }

    /** The principals of the line holding this key, if one does. */
    public Optional<List<String>> principals(byte[] publicKeyBlob) {
        return signers.stream()
                .filter(s -> Arrays.equals(s.publicKeyBlob(), publicKeyBlob))
                .map(Signer::principals)
                .findFirst();
    }
}
