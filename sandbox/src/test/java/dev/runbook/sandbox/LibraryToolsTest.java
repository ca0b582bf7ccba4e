package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.load.Library;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Runbook;
import dev.runbook.model.Step;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A drill of a library runbook runs the sandbox's stand-ins ({@link Tools}), never the machine's own tools. */
class LibraryToolsTest {

    private static final Path LIBRARY = Path.of("runbooks");

    /** Shell builtins and read-only text tools a drill may run for real (they touch nothing). */
    private static final java.util.Set<String> HARMLESS = java.util.Set.of(
            "ls",
            "echo",
            "printf",
            "date",
            "head",
            "tail",
            "grep",
            "cut",
            "sort",
            "uniq",
            "wc",
            "cat",
            "test",
            "true",
            "false",
            "cd",
            "export",
            "sha256sum",
            "tr",
            "awk",
            "sed");

    @Test
    void aDrillRunsNoRealToolOfTheMachine() throws Exception {
        Library lib = Library.load(List.of(LIBRARY));
        List<String> real = new ArrayList<>();
        int commands = 0;
        for (Runbook rb : lib.runbooks().values()) {
            if (rb.drills().isEmpty()) {
                continue;
            }
            for (Step s : Stream.of(rb.steps(), rb.rollback(), rb.verify())
                    .flatMap(List::stream)
                    .toList()) {
                if (!(s.action() instanceof ActionSpec.Shell sh)) {
                    continue;
                }
                for (String part : sh.command().split("&&|\\|\\||;|\\||\\$\\(|`")) {
                    String[] words = part.trim().split("\\s+");
                    if (words.length == 0 || words[0].isEmpty()) {
                        continue;
                    }
                    String tool = words[0].replaceAll("^[A-Za-z_][A-Za-z0-9_]*=\\S*$", "");
                    if (tool.isEmpty() || tool.startsWith("-") || tool.startsWith("+") || tool.equals(")")) {
                        continue;
                    }
                    commands++;
                    if (!Tools.NAMES.contains(tool) && !HARMLESS.contains(tool)) {
                        real.add(rb.id() + " " + s.id() + ": " + tool);
                    }
                }
            }
        }
        assertThat(real)
                .as("tools a drill would run for real (add a stand-in in sandbox.Tools)")
                .isEmpty();
        assertThat(commands).isGreaterThan(5);
    }
}
