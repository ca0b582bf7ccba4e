package dev.runbook.dist;

import dev.runbook.cli.Cli;
import dev.runbook.console.Terminal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build-time tool of the release (not shipped): writes the files that are made from the command
 * line itself, so they cannot drift from it. Run by the dist module at package time.
 *
 * <ul>
 *   <li>{@code OUT/man/*.adoc}: one AsciiDoc man page per command (picocli-codegen's
 *       {@link ManPageGenerator}), turned into troff by Asciidoctor;
 *   <li>{@code OUT/completion/runbook.bash}, {@code runbook.zsh}, {@code runbook.fish}: what
 *       {@code runbook completion SHELL} prints.
 * </ul>
 */
public final class ReleaseFiles {

    private ReleaseFiles() {}

    /**
     * @param args {@code OUT}: the directory to write into (created)
     * @throws IOException when a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path man = Files.createDirectories(out.resolve("man"));
        Path completion = Files.createDirectories(out.resolve("completion"));
        CommandLine whole = Cli.createWhole(terminal(new StringWriter()));
        int code = ManPageGenerator.generateManPage(man.toFile(), null, new boolean[0], true, whole.getCommandSpec());
        if (code != 0) {
            throw new IOException("man pages: picocli's generator exited with " + code);
        }
        for (String shell : new String[] {"bash", "zsh", "fish"}) {
            StringWriter text = new StringWriter();
            int c = Cli.create(terminal(text), "completion", shell).execute("completion", shell);
            if (c != 0) {
                throw new IOException("completion " + shell + ": exit " + c);
            }
            Files.writeString(completion.resolve("runbook." + shell), text.toString());
        }
    }

    /** A terminal that is not interactive, with no environment (no user's config in the pages). */
    private static Terminal terminal(StringWriter out) {
        return new Terminal(
                new BufferedReader(Reader.nullReader()),
                new PrintWriter(out, true),
                new PrintWriter(System.err, true),
                false,
                Map.of(),
                false);
    }
}
