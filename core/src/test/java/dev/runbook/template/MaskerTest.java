package dev.runbook.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A secret is masked in every form a tool may print it. */
class MaskerTest {

    @Test
    void everyEncodedFormOfASecretIsMasked() throws Exception {
        List<String> secrets = List.of("p@ss\"w0rd\\x", "s3cr3t-token-ABC", "é-unicode-ß-pass", "a b+c/d=e?f&g");
        int tried = 0;
        for (String secret : secrets) {
            Masker m = new Masker();
            m.add(secret);
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(secret);
            byte[] b = secret.getBytes(StandardCharsets.UTF_8);
            for (String shown : List.of(
                    "raw " + secret + " end",
                    "json {\"password\":" + json + "}",
                    "url https://h/?p=" + URLEncoder.encode(secret, StandardCharsets.UTF_8) + "&x=1",
                    "url20 " + URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"),
                    "b64 " + Base64.getEncoder().encodeToString(b),
                    "b64 in header Basic "
                            + Base64.getEncoder().encodeToString(("user:" + secret).getBytes(StandardCharsets.UTF_8)),
                    "b64 offset2 "
                            + Base64.getEncoder()
                                    .encodeToString(("ab" + secret + "zz").getBytes(StandardCharsets.UTF_8)),
                    "b64url " + Base64.getUrlEncoder().encodeToString(("x" + secret).getBytes(StandardCharsets.UTF_8)),
                    "hex " + HexFormat.of().formatHex(b),
                    "HEX " + HexFormat.of().withUpperCase().formatHex(b))) {
                String masked = m.mask(shown);
                tried++;
                assertThat(masked).as(shown).contains(Masker.MASK);
                assertThat(masked).as(shown).doesNotContain(secret);
                String core = shown.substring(shown.indexOf(' ') + 1);
                assertThat(masked)
                        .as("the encoded secret is gone from: " + shown)
                        .isNotEqualTo(shown);
                assertThat(core).isNotEmpty();
            }
        }
        System.out.printf("masking: %d encoded forms of %d secrets, all masked%n", tried, secrets.size());
    }

    @Test
    void ordinaryTextIsLeftAlone() {
        Masker m = new Masker();
        m.add("hunter2-long");
        assertThat(m.mask("the service is up, 200 OK")).isEqualTo("the service is up, 200 OK");
    }
}
