package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.config.UserConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDirsTest {

    @TempDir
    Path dir;

    private UserConfig config(Map<String, String> vars) throws Exception {
        Map<String, String> env = new HashMap<>(vars);
        env.put("XDG_CONFIG_HOME", dir.toString());
        return UserConfig.load(env);
    }

    @Test
    void explicitWinsThenEnvironmentThenFileThenDefault() throws Exception {
        Map<String, String> env = Map.of("RUNBOOK_LOG_DIR", "/var/log/runbook");
        assertThat(LogDirs.resolve(Path.of("x"), config(env))).isEqualTo(Path.of("x"));
        assertThat(LogDirs.resolve(null, config(env))).isEqualTo(Path.of("/var/log/runbook"));
        assertThat(LogDirs.resolve(null, config(Map.of()))).isEqualTo(Path.of("incidents"));
        assertThat(LogDirs.resolve(null, config(Map.of("RUNBOOK_LOG_DIR", " "))))
                .isEqualTo(Path.of("incidents"));

        Files.createDirectories(dir.resolve("runbook"));
        Files.writeString(dir.resolve("runbook/config.yaml"), "log_dir: /srv/incidents\n");
        assertThat(LogDirs.resolve(null, config(Map.of()))).isEqualTo(Path.of("/srv/incidents"));
        assertThat(LogDirs.resolve(null, config(env))).isEqualTo(Path.of("/var/log/runbook"));
    }
}
