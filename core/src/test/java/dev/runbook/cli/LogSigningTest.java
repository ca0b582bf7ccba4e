package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signed incident logs (SSHSIG, namespace runbook-incident): the stock {@code ssh-keygen -Y
 * verify} accepts what the tool signs, and {@code runbook log verify} names the signer and
 * refuses an edited log whose chain was recomputed, a cut tail, and an unknown signer.
 */
class LogSigningTest {

    @TempDir
    Path dir;

    private static String exec(Path stdin, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + out;
    }

    private Path key(String type) throws Exception {
        Path key = dir.resolve("id_" + type);
        assertThat(exec(null, "ssh-keygen", "-q", "-t", type, "-N", "", "-C", "alice@laptop", "-f", key.toString()))
                .startsWith("0:");
        return key;
    }

    private Path signedLog(String... extra) throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, "id: RB-SIGN\ntitle: Signed\nseverity: P2\nsteps:\n  - id: one\n    shell: echo hi\n");
        List<String> args = new ArrayList<>(List.of(
                "run", rb.toString(), "--yes", "--log-dir", dir.resolve("logs").toString()));
        args.addAll(List.of(extra));
        CliRun r = CliRun.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        return CliRun.onlyLog(dir.resolve("logs"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "rsa"})
    void sshKeygenAcceptsTheSignatureAndLogVerifyNamesTheSigner(String type) throws Exception {
        Path key = key(type);
        Path allowed = dir.resolve("allowed_signers");
        Files.writeString(allowed, "alice,ic " + Files.readString(Path.of(key + ".pub")));
        Path log = signedLog("--signing-key", key.toString());
        Path sig = Path.of(log + ".sig");
        assertThat(Files.readString(sig)).startsWith("-----BEGIN SSH SIGNATURE-----");

        String stock = exec(
                log,
                "ssh-keygen",
                "-Y",
                "verify",
                "-f",
                allowed.toString(),
                "-I",
                "alice",
                "-n",
                "runbook-incident",
                "-s",
                sig.toString());
        assertThat(stock).as("ssh-keygen -Y verify").startsWith("0:").contains("Good \"runbook-incident\" signature");

        CliRun v = CliRun.run("log", "verify", log.toString(), "--allowed-signers", allowed.toString());
        assertThat(v.code()).as(v.toString()).isZero();
        assertThat(v.out()).contains("chain intact, signed by alice");
    }

    @Test
    void anEditedLogWithARecomputedChainOrACutTailIsRefused() throws Exception {
        Path key = key("ed25519");
        Path allowed = dir.resolve("allowed_signers");
        Files.writeString(allowed, "alice " + Files.readString(Path.of(key + ".pub")));
        Path log = signedLog("--signing-key", key.toString());
        byte[] original = Files.readAllBytes(log);

        // a forger edits a field and recomputes the whole SHA-256 chain: the chain is intact again
        List<String> lines = Files.readAllLines(log);
        List<String> forged = new ArrayList<>();
        String prev = "0".repeat(64);
        for (String line : lines) {
            String l = line.replaceFirst("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + prev + "\"")
                    .replace("\"operator\":\"", "\"operator\":\"mallory-");
            forged.add(l);
            prev = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(l.getBytes(StandardCharsets.UTF_8)));
        }
        Files.write(log, forged);
        assertThat(dev.runbook.journal.JournalVerifier.verify(log).ok())
                .as("the chain alone is fooled")
                .isTrue();
        CliRun edited = CliRun.run("log", "verify", log.toString(), "--allowed-signers", allowed.toString());
        assertThat(edited.code()).as(edited.toString()).isEqualTo(1);
        assertThat(edited.out()).contains("does not match the log");

        // the tail cut off (the close removed): still a valid chain, but not what was signed
        Files.write(log, lines.subList(0, lines.size() - 1));
        CliRun cut = CliRun.run("log", "verify", log.toString(), "--allowed-signers", allowed.toString());
        assertThat(cut.code()).as(cut.toString()).isEqualTo(1);
        assertThat(cut.out()).contains("does not match the log");

        // another key than allowed_signers names
        Files.write(log, original);
        Files.writeString(allowed, "bob " + Files.readString(Path.of(key("ecdsa") + ".pub")));
        CliRun stranger = CliRun.run("log", "verify", log.toString(), "--allowed-signers", allowed.toString());
        assertThat(stranger.code()).as(stranger.toString()).isEqualTo(1);
        assertThat(stranger.out()).contains("does not list");
    }

    @Test
    void withoutAKeyTheLogIsClosedUnsignedAndSaysSo() throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, "id: RB-UNSIGNED\ntitle: U\nseverity: P3\nsteps:\n  - id: one\n    shell: echo hi\n");
        CliRun r = CliRun.with()
                .env("SSH_AUTH_SOCK", "")
                .run(
                        "run",
                        rb.toString(),
                        "--yes",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("log closed unsigned");
        Path log = CliRun.onlyLog(dir.resolve("logs"));
        CliRun v = CliRun.run("log", "verify", log.toString());
        assertThat(v.code()).isZero();
        assertThat(v.out()).contains("chain intact, unsigned");
    }

    @Test
    void theFirstKeyOfSshAgentSignsWhenNoneIsGiven() throws Exception {
        Path key = key("ed25519");
        Path sock = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString())
                .redirectErrorStream(true)
                .start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!Files.exists(sock) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process a = add.start();
            a.getInputStream().readAllBytes();
            assertThat(a.waitFor()).isZero();
            Path rb = dir.resolve("rb.yaml");
            Files.writeString(rb, "id: RB-AGENT\ntitle: A\nseverity: P3\nsteps:\n  - id: one\n    shell: echo hi\n");
            CliRun r = CliRun.with()
                    .env("SSH_AUTH_SOCK", sock.toString())
                    .run(
                            "run",
                            rb.toString(),
                            "--yes",
                            "--log-dir",
                            dir.resolve("logs").toString());
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("log signed with ssh-agent");
            Path log = CliRun.onlyLog(dir.resolve("logs"));
            Path allowed = dir.resolve("allowed_signers");
            Files.writeString(allowed, "carol " + Files.readString(Path.of(key + ".pub")));
            String stock = exec(
                    log,
                    "ssh-keygen",
                    "-Y",
                    "verify",
                    "-f",
                    allowed.toString(),
                    "-I",
                    "carol",
                    "-n",
                    "runbook-incident",
                    "-s",
                    log + ".sig");
            assertThat(stock).startsWith("0:");
        } finally {
            agent.destroy();
        }
    }
}
