package dev.runbook.cli;

import dev.runbook.load.InvalidException;
import dev.runbook.load.Library;
import dev.runbook.load.Problem;
import dev.runbook.load.RunbookLoader;
import dev.runbook.model.Runbook;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the runbook a command names: a file path, or a runbook id looked up in the
 * library directory (ids unique across the library).
 */
final class RunbookRef {

    private RunbookRef() {}

    /**
     * Loads the runbook.
     *
     * @param ref a path to a .yaml/.yml file, or a runbook id
     * @param dir the library ({@code --dir})
     * @param err where validation problems are printed, one per line
     * @throws ExitException 2 when the file is invalid or the id is unknown
     */
    static Runbook load(String ref, Path dir, PrintWriter err) {
        Path p = Path.of(ref);
        try {
            if (Files.isRegularFile(p) || Files.exists(p) && (ref.endsWith(".yaml") || ref.endsWith(".yml"))) {
                return RunbookLoader.load(p); // refuses at once what is not a regular file
            }
            if (ref.endsWith(".yaml") || ref.endsWith(".yml")) {
                throw new ExitException(ExitCodes.USAGE, ref + ": no such file");
            }
            if (!Files.isDirectory(dir)) {
                throw new ExitException(
                        ExitCodes.USAGE,
                        "'" + ref + "' is not a file, and the library " + dir
                                + " does not exist (give a path, or --dir)");
            }
            Library lib = Library.load(List.of(dir));
            var found = lib.byId(ref);
            if (found.isPresent()) {
                return found.get();
            }
            for (var e : lib.problems().entrySet()) {
                if (Files.readString(e.getKey())
                        .matches("(?s).*\\bid:\\s*['\"]?" + java.util.regex.Pattern.quote(ref) + "['\"]?\\s.*")) {
                    throw invalid(e.getValue(), err);
                }
            }
            throw new ExitException(
                    ExitCodes.USAGE,
                    "no runbook with id '" + ref + "' in " + dir + " (see: runbook list --dir " + dir + ")");
        } catch (InvalidException e) {
            throw invalid(e.problems(), err);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.USAGE, ref + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static ExitException invalid(List<Problem> problems, PrintWriter err) {
        problems.forEach(p -> err.println(p));
        err.flush();
        String file = problems.get(0).position().file();
        return new ExitException(
                ExitCodes.USAGE, file + " is invalid (" + problems.size() + " problem(s) above): nothing was run");
    }
}
