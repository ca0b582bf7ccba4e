package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.console.Terminal;
import dev.runbook.testing.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --no-color} is one global option (issue 12, item 6): every command takes it, before or after its name. */
class NoColorOptionTest {

    @Test
    void everyCommandAcceptsItBeforeOrAfterItsName() {
        List<List<String>> paths = new java.util.ArrayList<>();
        walk(Cli.createWhole(Terminal.system()), List.of(), paths);
        assertThat(paths).contains(List.of("list"), List.of("validate"), List.of("log", "list"), List.of("run"));
        int tried = 0;
        for (List<String> path : paths) {
            List<String> after = new java.util.ArrayList<>(path);
            after.addAll(List.of("--no-color", "--help"));
            CliRun a = CliRun.run(after.toArray(String[]::new));
            assertThat(a.code()).as(after + ": " + a).isZero();
            List<String> before = new java.util.ArrayList<>(List.of("--no-color"));
            before.addAll(path);
            before.add("--help");
            CliRun b = CliRun.run(before.toArray(String[]::new));
            assertThat(b.code()).as(before + ": " + b).isZero();
            tried += 2;
        }
        CliRun logs = CliRun.run("log", "list", "--no-color", "--log-dir", "core/src/test/resources");
        assertThat(logs.code()).as(logs.toString()).isNotEqualTo(2);
        assertThat(tried).as("commands tried").isEqualTo(2 * paths.size()).isGreaterThanOrEqualTo(40);
    }

    /** Every command of the tree as the words that name it, but help and the sandbox module's (not installed here). */
    private static void walk(picocli.CommandLine cmd, List<String> path, List<List<String>> into) {
        cmd.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help") || sub.getCommand() instanceof NotInstalledCommand) {
                return;
            }
            List<String> p = new java.util.ArrayList<>(path);
            p.add(name);
            into.add(p);
            walk(sub, p, into);
        });
    }

    @Test
    void itTurnsColoursOffOnAColourTerminalAsNoColorAndTermDumbDo() {
        CliRun coloured = CliRun.with().ansi(true).env("NO_COLOR", "").run("show", "RB-P1-001");
        assertThat(coloured.out()).contains("\u001b[");
        assertThat(CliRun.with()
                        .ansi(true)
                        .env("NO_COLOR", "")
                        .run("show", "RB-P1-001", "--no-color")
                        .out())
                .doesNotContain("\u001b[");
        assertThat(CliRun.with()
                        .ansi(true)
                        .env("NO_COLOR", "")
                        .run("--no-color", "show", "RB-P1-001")
                        .out())
                .doesNotContain("\u001b[");
        assertThat(CliRun.with()
                        .ansi(true)
                        .env("NO_COLOR", "1")
                        .run("show", "RB-P1-001")
                        .out())
                .doesNotContain("\u001b[");
        assertThat(Terminal.dumb(java.util.Map.of("TERM", "dumb"))).isTrue();
        assertThat(Terminal.dumb(java.util.Map.of("TERM", "xterm-256color"))).isFalse();
    }
}
