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
            // ids are matched without regard to case (rb-p1-001 is RB-P1-001) when that names one
            List<Runbook> folded = lib.runbooks().values().stream()
                    .filter(r -> r.id().equalsIgnoreCase(ref))
                    .toList();
            if (folded.size() == 1) {
                return folded.get(0);
            }
            for (var e : lib.problems().entrySet()) {
                if (Files.readString(e.getKey())
                        .matches("(?s).*\\bid:\\s*['\"]?" + java.util.regex.Pattern.quote(ref) + "['\"]?\\s.*")) {
                    throw invalid(e.getValue(), err);
                }
            }
            List<String> near = nearest(
                    ref, lib.runbooks().values().stream().map(Runbook::id).toList());
            throw new ExitException(
                    ExitCodes.USAGE,
                    "no runbook with id '" + ref + "' in " + dir
                            + (near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?")
                            + " (see: runbook list --dir " + dir + ")");
        } catch (InvalidException e) {
            throw invalid(e.problems(), err);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.USAGE, ref + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The ids closest to a miss, for "did you mean": at most 2 edits away (case aside), or
     * containing it; at most 3, closest first.
     */
    static List<String> nearest(String ref, List<String> ids) {
        String r = ref.toLowerCase(java.util.Locale.ROOT);
        return ids.stream()
                .map(id -> java.util.Map.entry(id, distance(r, id.toLowerCase(java.util.Locale.ROOT))))
                .filter(e -> e.getValue() <= 2
                        || r.length() >= 3
                                && e.getKey().toLowerCase(java.util.Locale.ROOT).contains(r))
                .sorted(java.util.Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(java.util.Map.Entry.comparingByKey()))
                .limit(3)
                .map(java.util.Map.Entry::getKey)
                .toList();
    }

    /** Levenshtein distance (insertions, deletions, substitutions). */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static ExitException invalid(List<Problem> problems, PrintWriter err) {
        problems.forEach(p -> err.println(p));
        err.flush();
        String file = problems.get(0).position().file();
        return new ExitException(
                ExitCodes.USAGE, file + " is invalid (" + problems.size() + " problem(s) above): nothing was run");
    }
}
