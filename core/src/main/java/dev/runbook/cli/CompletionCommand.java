package dev.runbook.cli;

import dev.runbook.console.Terminal;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runbook completion bash|zsh|fish}: the shell completion script of the command tree as it
 * is (picocli's {@link AutoComplete} for bash and zsh, from the live command line rather than a
 * no-argument constructor; a {@code complete -c} list for fish).
 */
@Command(
        name = "completion",
        header = "Print the shell completion script (bash, zsh, fish).",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Print the completion script of every subcommand and option for a shell:",
            "",
            "  bash:  source <(runbook completion bash)        # or save it in /etc/bash_completion.d/",
            "  zsh:   autoload -U +X bashcompinit && bashcompinit; source <(runbook completion zsh)",
            "  fish:  runbook completion fish > ~/.config/fish/completions/runbook.fish"
        })
public final class CompletionCommand implements Callable<Integer> {

    /** The shells a script is made for. */
    enum Shell {
        BASH,
        ZSH,
        FISH
    }

    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish.", converter = ShellConverter.class)
    Shell shell;

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    /** @param terminal where the script is printed */
    public CompletionCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        PrintWriter out = terminal.out();
        if (shell == Shell.FISH) {
            out.print(fish(root));
        } else {
            if (shell == Shell.ZSH) {
                // picocli's script runs in zsh through bashcompinit, but calls bash's compopt
                out.print("# runbook completion for zsh: picocli's bash script through bashcompinit\n"
                        + "autoload -U +X bashcompinit && bashcompinit\n"
                        + "(( $+functions[compopt] )) || compopt() { return 0; }  # bash-only, not in zsh\n");
            }
            out.print(AutoComplete.bash("runbook", root));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code complete -c runbook} lines: subcommands at the top, then each one's long options. */
    static String fish(CommandLine root) {
        StringBuilder b =
                new StringBuilder("# runbook completion for fish (runbook completion fish)\ncomplete -c runbook -f\n");
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            String name = e.getKey();
            String header = String.join(
                    " ", e.getValue().getCommandSpec().usageMessage().header());
            b.append("complete -c runbook -n __fish_use_subcommand -a ")
                    .append(name)
                    .append(" -d '")
                    .append(header.replace("'", "\\'"))
                    .append("'\n");
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                String longName = o.longestName();
                if (longName.startsWith("--")) {
                    b.append("complete -c runbook -n '__fish_seen_subcommand_from ")
                            .append(name)
                            .append("' -l ")
                            .append(longName.substring(2))
                            .append(o.arity().max() > 0 ? " -r" : "")
                            .append('\n');
                }
            }
        }
        return b.toString();
    }

    /** The shell in lower case, with the shells listed on a miss. */
    static final class ShellConverter extends LowercaseEnum<Shell> {
        ShellConverter() {
            super(Shell.class, "shell");
        }
    }
}
