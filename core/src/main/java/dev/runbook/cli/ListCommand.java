package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.load.Library;
import dev.runbook.model.Runbook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code runbook list}: the runbooks of the library, as a text table or a Markdown index. */
@Command(
        name = "list",
        header = "List the runbooks of the library.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "List the runbooks of the library, one line each: id, severity, title, file, tags.",
            "--format markdown: the index table of runbooks/README.md; json or jsonl: for scripts."
        },
        footer = {"", "Examples:", "  runbook list", "  runbook list --format markdown > runbooks/INDEX.md"})
public final class ListCommand implements Callable<Integer> {

    @Mixin
    LibraryDirOption library;

    @Mixin
    FormatOption format;

    private final Terminal terminal;

    /** @param terminal where the list is printed */
    public ListCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (!java.nio.file.Files.isDirectory(library.dir())) {
            throw new ExitException(
                    ExitCodes.USAGE, library.dir() + ": no such directory (give the library with --dir)");
        }
        Library lib = Library.load(List.of(library.dir()));
        List<Runbook> rbs = new ArrayList<>(lib.runbooks().values());
        rbs.sort(Comparator.comparing(
                        (Runbook r) -> Path.of(r.source().path()).getParent().toString())
                .thenComparing(Runbook::severity)
                .thenComparing(Runbook::id));
        var out = terminal.out();
        switch (format.format()) {
            case MARKDOWN -> {
                out.println("| id | sév. | titre | fichier | seed : section |");
                out.println("|---|---|---|---|---|");
                rbs.forEach(r -> out.println("| " + r.id() + " | " + r.severity() + " | " + cell(r.title()) + " | `"
                        + rel(r) + "` | " + cell(r.origin() == null ? "" : r.origin()) + " |"));
            }
            case TEXT -> {
                int w = rbs.stream().mapToInt(r -> r.id().length()).max().orElse(2);
                int t = rbs.stream().mapToInt(r -> r.title().length()).max().orElse(5);
                rbs.forEach(r -> out.printf(
                        "%-" + w + "s  %s  %-" + t + "s  %s%s%n",
                        r.id(),
                        r.severity(),
                        r.title(),
                        rel(r),
                        r.tags().isEmpty() ? "" : "  [" + String.join(", ", r.tags()) + "]"));
            }
            case JSON, JSONL -> format.print(out, rbs.stream().map(this::json).toList());
        }
        lib.problems()
                .keySet()
                .forEach(p -> terminal.err()
                        .println("runbook: " + p + " is invalid and not listed (see: runbook validate " + p + ")"));
        out.flush();
        terminal.err().flush();
        return lib.valid() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private Map<String, Object> json(Runbook r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("title", r.title());
        m.put("severity", r.severity().name());
        m.put("service", r.service());
        m.put("tags", r.tags());
        m.put("path", r.source().path());
        m.put("source", r.origin());
        return m;
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private String rel(Runbook r) {
        Path p = Path.of(r.source().path());
        return library.dir()
                .toAbsolutePath()
                .normalize()
                .relativize(p.toAbsolutePath().normalize())
                .toString();
    }
}
