package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's config (issue 12, item 9): flag over {@code RUNBOOK_*} over the config file over
 * the built-in default, shown by {@code runbook config}, and a broken file named with its line.
 */
class ConfigCommandTest {

    @TempDir
    Path dir;

    private Path configFile;

    @BeforeEach
    void libraries() throws Exception {
        for (String lib : new String[] {"file-lib", "env-lib", "flag-lib"}) {
            Path d = Files.createDirectories(dir.resolve(lib));
            Files.writeString(
                    d.resolve("rb.yaml"),
                    "id: " + lib.toUpperCase() + "-1\ntitle: From " + lib
                            + "\nseverity: P3\nsteps:\n  - id: one\n    shell: echo one\n");
        }
        configFile = dir.resolve("xdg/runbook/config.yaml");
        Files.createDirectories(configFile.getParent());
        Files.writeString(
                configFile,
                "# mine\nlibrary: ../../file-lib\nlog_dir: " + dir.resolve("file-logs") + "\noperator: carol\n");
    }

    private CliRun.Builder cli() {
        return CliRun.with()
                .env("XDG_CONFIG_HOME", dir.resolve("xdg").toString())
                .env("HOME", dir.toString());
    }

    @Test
    void theFlagWinsOverTheVariableWhichWinsOverTheFile() {
        assertThat(cli().run("list").out()).contains("FILE-LIB-1").doesNotContain("ENV-LIB-1");
        CliRun env =
                cli().env("RUNBOOK_LIBRARY", dir.resolve("env-lib").toString()).run("list");
        assertThat(env.out()).contains("ENV-LIB-1").doesNotContain("FILE-LIB-1");
        CliRun flag = cli().env("RUNBOOK_LIBRARY", dir.resolve("env-lib").toString())
                .run("list", "--dir", dir.resolve("flag-lib").toString());
        assertThat(flag.out()).contains("FLAG-LIB-1").doesNotContain("ENV-LIB-1");
    }

    @Test
    void runUsesTheConfiguredLogDirectoryAndOperator() throws Exception {
        CliRun run = cli().run("run", "FILE-LIB-1", "--yes");
        assertThat(run.code()).as(run.toString()).isZero();
        Path log = CliRun.onlyLog(dir.resolve("file-logs"));
        assertThat(Files.readString(log)).contains("\"operator\":\"carol\"");

        CliRun sudo = CliRun.with()
                .env("XDG_CONFIG_HOME", dir.resolve("none").toString())
                .env("SUDO_USER", "bob")
                .run(
                        "run",
                        "--dir",
                        dir.resolve("flag-lib").toString(),
                        "FLAG-LIB-1",
                        "--yes",
                        "--log-dir",
                        dir.resolve("sudo-logs").toString());
        assertThat(sudo.code()).as(sudo.toString()).isZero();
        assertThat(Files.readString(CliRun.onlyLog(dir.resolve("sudo-logs")))).contains("\"operator\":\"bob\"");
    }

    @Test
    void configShowsEachValueAndWhereItComesFrom() {
        CliRun c = cli().env("RUNBOOK_ENV", "staging").run("config");
        assertThat(c.code()).as(c.toString()).isZero();
        assertThat(c.out())
                .contains("config file: " + configFile)
                .containsPattern("library +"
                        + java.util.regex.Pattern.quote(dir.resolve("file-lib").toString()) + " +from "
                        + java.util.regex.Pattern.quote(configFile.toString()) + ":2")
                .containsPattern("env +staging +from \\$RUNBOOK_ENV")
                .containsPattern("operator +carol +from .*:4");
    }

    @Test
    void aBrokenConfigIsNamedWithItsLineAndVersionStillAnswers() throws Exception {
        Files.writeString(configFile, "library: x\nlibary: typo\n");
        CliRun list = cli().run("list");
        assertThat(list.code()).isEqualTo(2);
        assertThat(list.err())
                .contains("invalid config " + configFile + ":2:1: unknown setting 'libary'")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(cli().run("--version").code()).isZero();
        Files.writeString(configFile, "- a list\n");
        assertThat(cli().run("config").err()).contains(configFile + ":1:1: the config is a map of settings");
    }
}
