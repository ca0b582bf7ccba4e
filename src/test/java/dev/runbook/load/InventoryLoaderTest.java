package dev.runbook.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link InventoryLoader}: the {@code shell_path} extension, read strictly. */
class InventoryLoaderTest {

    @TempDir
    Path dir;

    @Test
    void shellPathIsReadInOrderAndEmptyWhenAbsent() throws Exception {
        Path f = Files.writeString(
                dir.resolve("environments.yaml"),
                String.join(
                        "\n",
                        "environments:",
                        "  sandbox:",
                        "    shell_path: [.sandbox/bin, /opt/tools]",
                        "  prod: {}",
                        ""));

        Inventory inv = InventoryLoader.load(f);

        assertThat(inv.environment("sandbox").orElseThrow().shellPath()).containsExactly(".sandbox/bin", "/opt/tools");
        assertThat(inv.environment("prod").orElseThrow().shellPath()).isEmpty();
    }

    @Test
    void shellPathMustBeAListOfDirectories() throws Exception {
        Path f = Files.writeString(
                dir.resolve("environments.yaml"),
                String.join(
                        "\n", "environments:", "  a: {shell_path: .sandbox/bin}", "  b: {shell_path: ['x:y']}", ""));

        assertThatThrownBy(() -> InventoryLoader.load(f))
                .isInstanceOfSatisfying(
                        InvalidException.class,
                        e -> assertThat(e.problems().stream()
                                        .map(Object::toString)
                                        .toList())
                                .anyMatch(p -> p.contains("'shell_path' in environment 'a' must be a list"))
                                .anyMatch(p -> p.contains("'x:y' must be a directory")));
    }
}
