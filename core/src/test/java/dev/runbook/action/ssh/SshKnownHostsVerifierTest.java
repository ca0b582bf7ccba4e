package dev.runbook.action.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.jcraft.jsch.HostKeyRepository;
import dev.runbook.testing.SshServerFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKnownHostsVerifierTest {

    @TempDir
    Path tmp;

    private static byte[] blob(Path pub) throws Exception {
        return Base64.getDecoder().decode(Files.readString(pub).trim().split("\\s+")[1]);
    }

    private SshHost host(Path knownHosts, int port) {
        return new SshHost("web1", "127.0.0.1", port, "u", List.of(), null, null, knownHosts, null, null);
    }

    @Test
    void fingerprintAndTypeAreThoseSshKeygenPrints() throws Exception {
        var key = SshServerFixture.keygen(tmp, "k", "ed25519", "");
        Process p = new ProcessBuilder(
                        "ssh-keygen",
                        "-l",
                        "-E",
                        "sha256",
                        "-f",
                        key.publicKey().toString())
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(out.split(" ")[1]).isEqualTo(KnownHostsVerifier.fingerprint(blob(key.publicKey())));
        assertThat(KnownHostsVerifier.keyType(blob(key.publicKey()))).isEqualTo("ssh-ed25519");
        assertThat(KnownHostsVerifier.keyType(new byte[] {0, 0, 0, 9, 'x'})).isEqualTo("unknown");
    }

    @Test
    void trustedKeyIsAppendedOnItsOwnLineAndThenKnown() throws Exception {
        byte[] key = blob(SshServerFixture.keygen(tmp, "k", "ed25519", "").publicKey());
        byte[] other = blob(SshServerFixture.keygen(tmp, "o", "ed25519", "").publicKey());
        Path kh = tmp.resolve("kh");
        Files.writeString(kh, "# existing, no final newline");

        KnownHostsVerifier v = new KnownHostsVerifier(host(kh, 2222), (h, a, t, f) -> true);
        assertThat(v.check("[127.0.0.1]:2222", key)).isEqualTo(HostKeyRepository.OK);
        assertThat(v.outcome()).isEqualTo(KnownHostsVerifier.Outcome.TRUSTED);
        assertThat(Files.readAllLines(kh))
                .containsExactly(
                        "# existing, no final newline",
                        "[127.0.0.1]:2222 ssh-ed25519 " + Base64.getEncoder().encodeToString(key));

        KnownHostsVerifier reread = new KnownHostsVerifier(host(kh, 2222), (h, a, t, f) -> {
            throw new AssertionError("a known key must not be asked about");
        });
        assertThat(reread.check("[127.0.0.1]:2222", key)).isEqualTo(HostKeyRepository.OK);
        assertThat(reread.outcome()).isEqualTo(KnownHostsVerifier.Outcome.KNOWN);
        assertThat(reread.check("[127.0.0.1]:2222", other)).isEqualTo(HostKeyRepository.CHANGED);
        assertThat(reread.outcome()).isEqualTo(KnownHostsVerifier.Outcome.CHANGED);
    }
}
