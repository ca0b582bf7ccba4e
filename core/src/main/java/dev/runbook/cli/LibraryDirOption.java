package dev.runbook.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --dir DIR} option (the runbook library) shared by the commands that read it (a picocli mixin). */
public final class LibraryDirOption {

    @Option(names = "--dir", paramLabel = "DIR", description = "The runbook library (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("runbooks");

    /** The library directory. */
    public Path dir() {
        return dir;
    }
}
