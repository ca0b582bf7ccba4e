package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogDirsTest {

    @Test
    void explicitWinsThenEnvironmentThenDefault() {
        Map<String, String> env = Map.of("RUNBOOK_LOG_DIR", "/var/log/runbook");
        assertThat(LogDirs.resolve(Path.of("x"), env)).isEqualTo(Path.of("x"));
        assertThat(LogDirs.resolve(null, env)).isEqualTo(Path.of("/var/log/runbook"));
        assertThat(LogDirs.resolve(null, Map.of())).isEqualTo(Path.of("incidents"));
        assertThat(LogDirs.resolve(null, Map.of("RUNBOOK_LOG_DIR", " "))).isEqualTo(Path.of("incidents"));
    }
}
