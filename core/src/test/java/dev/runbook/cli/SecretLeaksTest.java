package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets never reach the log, the console or an export, in any form or cut. */
class SecretLeaksTest {

    @TempDir
    Path dir;

    private static final String SECRET = "Zq9\"secret\\token";

    @Test
    void secretInputsAndOutputsAreMaskedEverywhereEvenWhenCut() throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, """
                id: RB-SECRET
                title: Secrets
                severity: P2
                inputs:
                  token: {secret: true, description: the API token}
                steps:
                  - id: ask
                    input: {name: other, secret: true, default: fallback-secret-value}
                  - id: cut
                    shell: printf '%%04090d' 0 | tr 0 x; printf %%s "${inputs.token}"
                  - id: json
                    shell: printf '{"t":"%%s"}' "$(printf %%s "${inputs.other}" | sed 's/"/\\\\"/g')"
                  - id: b64
                    shell: printf %%s "${inputs.token}" | base64
                """);
        Path logs = dir.resolve("logs");
        CliRun r = CliRun.run(
                "run",
                rb.toString(),
                "--yes",
                "--log-dir",
                logs.toString(),
                "--var",
                "token=" + SECRET,
                "--var",
                "other=" + SECRET + "-2");
        assertThat(r.code()).as(r.toString()).isZero();
        Path log = CliRun.onlyLog(logs);
        String text = Files.readString(log);
        for (String leak : new String[] {
            SECRET,
            "Zq9\\\"secret",
            "Zq9",
            "fallback-secret-value",
            java.util.Base64.getEncoder().encodeToString(SECRET.getBytes())
        }) {
            assertThat(text).as("log").doesNotContain(leak);
            assertThat(r.out() + r.err()).as("console").doesNotContain(leak);
        }
        CliRun export = CliRun.run("log", "export", log.toString(), "--format", "json");
        assertThat(export.out()).doesNotContain(SECRET).doesNotContain("Zq9");
    }

    @Test
    void aSecretShorterThanSixCharactersIsRefusedAtStart() throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(
                rb,
                "id: RB-SHORT\ntitle: Short\nseverity: P2\nsecrets: [API_TOKEN]\nsteps:\n"
                        + "  - id: a\n    shell: echo ok\n");
        CliRun r = CliRun.with()
                .env("API_TOKEN", "abc")
                .run(
                        "run",
                        rb.toString(),
                        "--yes",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("secret API_TOKEN is 3 characters long").contains("at least 6");
        assertThat(dir.resolve("logs")).doesNotExist();
    }
}
