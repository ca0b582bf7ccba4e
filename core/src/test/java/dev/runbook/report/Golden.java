package dev.runbook.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code core/src/test/resources/golden/}: the test compares with the file;
 * run with {@code -Dgolden.update=true} to rewrite them (then review the diff).
 */
public final class Golden {

    static final Path DIR = Path.of("core", "src", "test", "resources", "golden");

    private Golden() {}

    /** Asserts that actual equals the golden file, or rewrites it when golden.update is true. */
    public static void assertMatches(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(file)
                .as("golden file %s is missing: run the tests with -Dgolden.update=true", file)
                .exists();
        assertThat(actual)
                .as(
                        "output differs from %s (if the change is intended, run with -Dgolden.update=true"
                                + " and review the diff)",
                        file)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
