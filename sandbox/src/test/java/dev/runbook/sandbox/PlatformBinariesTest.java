package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.RunbookProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox holds zonky's PostgreSQL binaries of one platform (pom.xml, sandbox.platform). On
 * another system a drill stops with one line naming both platforms and how to build for this one,
 * not with zonky's error and a stack trace. The other system is the same JVM told another
 * {@code os.arch}, which is what zonky picks the binaries by.
 */
class PlatformBinariesTest {

    @TempDir
    Path dir;

    @Test
    void aDrillOnAnotherArchitectureSaysWhichBinariesTheSandboxHas() throws Exception {
        String other = System.getProperty("os.arch").equals("aarch64") ? "amd64" : "aarch64";
        var props = new java.util.Properties();
        try (var in = PlatformBinariesTest.class.getResourceAsStream("/runbook-sandbox.properties")) {
            props.load(in);
        }
        String built = props.getProperty("platform");
        assertThat(built).matches("(linux|darwin)-(amd64|arm64v8)");
        Path out = dir.resolve("out.txt");
        Process p = RunbookProcess.start(
                dir.resolve("cwd"),
                out,
                Map.of("JAVA_TOOL_OPTIONS", "-Dos.arch=" + other),
                "drill",
                "RB-P1-001",
                "--fault",
                "api-down",
                "--dir",
                Path.of("runbooks").toAbsolutePath().toString(),
                "--log-dir",
                dir.resolve("logs").toString());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isNotZero();
        assertThat(text)
                .contains("has PostgreSQL binaries for " + built + " only, not for this system (Linux " + other + ")")
                .contains("-Dsandbox.platform=")
                .doesNotContain("Exception")
                .doesNotContain("No postgres binaries found");
    }
}
