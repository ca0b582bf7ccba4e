package dev.runbook.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the log an operator means: a path to a {@code .jsonl} file, an incident id, or a
 * unique prefix of one, looked up in the log directory.
 */
public final class IncidentRef {

    private IncidentRef() {}

    /**
     * Resolves a reference.
     *
     * @param ref a path ending in {@code .jsonl} or naming an existing file, an id, or an id prefix
     * @param logDir the log directory searched for ids
     * @return the log file
     * @throws IllegalArgumentException with a one-line message when nothing matches, or when a prefix
     *         matches several incidents (the candidates are listed)
     * @throws IOException when the directory cannot be listed
     */
    public static Path resolve(String ref, Path logDir) throws IOException {
        Path asPath = Path.of(ref);
        if (ref.endsWith(".jsonl") || Files.isRegularFile(asPath)) {
            if (!Files.isRegularFile(asPath)) {
                throw new IllegalArgumentException(ref + ": no such file");
            }
            return asPath;
        }
        List<String> ids = list(logDir);
        if (ids.contains(ref)) {
            return logDir.resolve(ref + ".jsonl");
        }
        List<String> matches = ids.stream().filter(id -> id.startsWith(ref)).toList();
        if (matches.size() == 1) {
            return logDir.resolve(matches.get(0) + ".jsonl");
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException(
                    "no incident '" + ref + "' in " + logDir + " (see: runbook log list --log-dir " + logDir + ")");
        }
        throw new IllegalArgumentException("'" + ref + "' matches " + matches.size() + " incidents: "
                + String.join(", ", matches) + " (give more of the id)");
    }

    /**
     * The incident ids in a directory (file names of its {@code *.jsonl}, without the extension), sorted.
     *
     * @return empty when the directory does not exist
     * @throws IOException when it cannot be listed
     */
    public static List<String> list(Path logDir) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(logDir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(logDir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jsonl"))
                    .map(n -> n.substring(0, n.length() - ".jsonl".length()))
                    .sorted()
                    .forEach(out::add);
        }
        return out;
    }
}
