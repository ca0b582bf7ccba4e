package dev.runbook.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus ({@code core/src/test/resources/bad/}, made by {@code bad-corpus.py} beside
 * it): every file is refused by {@code validate} (exit 1) and by {@code run --yes} (exit 2, nothing
 * executed, no log), with the message fragment its first line names ({@code # expect: ...}), its
 * position, and no stack trace.
 */
class BadInputCorpusTest {

    private static final Path CORPUS = Path.of("core/src/test/resources/bad");

    @TempDir
    Path dir;

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> s = Files.list(CORPUS)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void theCorpusHasAtLeast300Files() throws IOException {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(300);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refusedWithItsMessageAndNothingRuns(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 0, indexOf(bytes, (byte) '\n'), StandardCharsets.US_ASCII);
        assertThat(header).startsWith("# expect: ");
        String fragment = header.substring("# expect: ".length());
        Path marker = dir.resolve("marker");
        Path logs = dir.resolve("logs");

        CliRun validate = CliRun.run("validate", file.toString());
        assertThat(validate.code()).as(validate.toString()).isEqualTo(1);
        assertThat(validate.out() + validate.err())
                .as(validate.toString())
                .contains("✗")
                .contains(fragment);

        CliRun run = CliRun.with()
                .env("MARKER", marker.toString())
                .run("run", file.toString(), "--yes", "--log-dir", logs.toString());
        assertThat(run.code()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).as(run.toString()).contains(fragment);
        assertThat(run.out() + run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        if (!fragment.startsWith("var") && !fragment.startsWith("secret ")) {
            assertThat(run.err())
                    .as("position")
                    .containsPattern(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: ");
        }
        assertThat(marker).as("nothing executed").doesNotExist();
        assertThat(logs).as("no log").doesNotExist();
    }

    private static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return b.length;
    }

    /** What is not a small regular file is refused at once, without reading it. */
    @Test
    void fifosDevicesDirectoriesAndBigFilesAreRefusedAtOnce() throws Exception {
        Path fifo = dir.resolve("fifo.yaml");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor(5, TimeUnit.SECONDS)).isTrue();
        Path zero = dir.resolve("zero.yaml");
        Files.createSymbolicLink(zero, Path.of("/dev/zero"));
        Path folder = Files.createDirectories(dir.resolve("folder.yaml"));
        Path big = dir.resolve("big.yaml");
        Files.writeString(
                big,
                "id: RB-BIG\ntitle: Big\nseverity: P2\nsteps:\n  - id: a\n    shell: echo a\n" + "# "
                        + "x".repeat(1024 * 1024) + "\n");
        for (Path p : List.of(fifo, zero, folder, big)) {
            long t0 = System.nanoTime();
            CliRun r = CliRun.run(
                    "run",
                    p.toString(),
                    "--yes",
                    "--log-dir",
                    dir.resolve("logs").toString());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(r.code()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).contains("refused").doesNotContain("Exception");
            assertThat(ms).as("at once: " + p).isLessThan(5000);
        }
        assertThat(dir.resolve("logs")).doesNotExist();
    }
}
