package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import dev.runbook.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook completion} (issue 12, item 7): the bash script loads in a real bash and completes. */
class CompletionCommandTest {

    @TempDir
    Path dir;

    private String bash(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        Process p = new ProcessBuilder(
                        "bash",
                        "-c",
                        "source " + script + " && COMP_WORDS=(" + line + ") && COMP_CWORD=" + (words.length - 1)
                                + " && COMP_LINE='" + line + "' && COMP_POINT=${#COMP_LINE} ; _complete_runbook"
                                + " ; printf '%s\\n' \"${COMPREPLY[@]}\"")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    @Test
    void theBashScriptCompletesSubcommandsAndOptionsInARealBash() throws Exception {
        CliRun r = CliRun.run("completion", "bash");
        assertThat(r.code()).as(r.toString()).isZero();
        Path script = dir.resolve("runbook.bash");
        Files.writeString(script, r.out());

        assertThat(bash(script, "runbook", "re").lines()).contains("resume").doesNotContain("run");
        assertThat(bash(script, "runbook", "run", "--all").lines()).contains("--allow-dangerous");
        assertThat(bash(script, "runbook", "log", "ex").lines()).containsExactly("export");
    }

    @Test
    void fishAndZshScriptsAndABadShell() {
        assertThat(CliRun.run("completion", "fish").out())
                .contains("complete -c runbook -n __fish_use_subcommand -a drill")
                .contains("complete -c runbook -n '__fish_seen_subcommand_from run' -l env -r");
        assertThat(CliRun.run("completion", "ZSH").out()).contains("_picocli_runbook");
        CliRun bad = CliRun.run("completion", "tcsh");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown shell 'tcsh' (bash, zsh or fish)");
    }

    /**
     * The zsh script in a real interactive zsh on a terminal (tmux): Tab completes a subcommand
     * and an option, and nothing is printed but the line (picocli's script calls bash's compopt,
     * which zsh lacks: the script brings a stand-in). Needs zsh and tmux (.ci/run installs them).
     */
    @Test
    void theZshScriptCompletesInARealZsh() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new java.io.File("/usr/bin/zsh").canExecute() && Tmux.available(), "zsh and tmux are needed");
        CliRun r = CliRun.run("completion", "zsh");
        assertThat(r.code()).as(r.toString()).isZero();
        Files.writeString(dir.resolve("runbook.zsh"), r.out());
        // a command named runbook on PATH, so that zsh completes it at all
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path fake = bin.resolve("runbook");
        Files.writeString(fake, "#!/bin/sh\n");
        fake.toFile().setExecutable(true);
        Files.writeString(
                dir.resolve(".zshrc"),
                "autoload -Uz compinit && compinit -u\nPS1='%% '\nsource " + dir + "/runbook.zsh\n");
        try (Tmux t = Tmux.start(dir, "env ZDOTDIR=" + dir + " PATH=" + bin + ":/usr/bin:/bin zsh -i")) {
            t.await("the zsh prompt", screen -> screen.strip().equals("%"));
            t.send("runbook val", "Tab");
            t.await("runbook validate", screen -> screen.contains("runbook validate"));
            t.send(" --str", "Tab");
            String screen = t.await("--strict", s -> s.contains("--strict"));
            assertThat(screen.strip()).as(screen).isEqualTo("% runbook validate --strict");
        }
    }
}
