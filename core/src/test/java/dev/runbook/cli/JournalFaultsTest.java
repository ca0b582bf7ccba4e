package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident log under faults (docs/format.md, "The incident log"): a log that vanishes or is
 * replaced mid-run stops the run before the next action, exit 1, with every event kept in the
 * fallback; a torn last line is read, verified and exported; files are private.
 */
class JournalFaultsTest {

    @TempDir
    Path dir;

    private Path runbook(String steps) throws IOException {
        Path p = dir.resolve("rb.yaml");
        Files.writeString(p, "id: RB-FAULT\ntitle: Faults\nseverity: P2\nsteps:\n" + steps);
        return p;
    }

    private CliRun run(Path rb, Path logs) {
        return CliRun.with()
                .env("XDG_STATE_HOME", dir.resolve("state").toString())
                .run("run", rb.toString(), "--yes", "--log-dir", logs.toString());
    }

    private List<Path> files(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    @Test
    void aLogDirectoryRemovedMidRunStopsTheRunBeforeTheNextAction() throws IOException {
        Path logs = dir.resolve("logs");
        Path marker = dir.resolve("after");
        Path rb = runbook("""
                  - id: remove
                    shell: rm -rf %s
                  - id: next
                    shell: touch %s
                """.formatted(logs, marker));

        CliRun r = run(rb, logs);

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("is gone").contains("the run stopped before the next action");
        assertThat(r.out()).doesNotContain("RESOLVED");
        assertThat(marker).as("the next action never ran").doesNotExist();
        Path fallbackDir = dir.resolve("state/runbook");
        List<Path> kept = files(fallbackDir);
        assertThat(kept).hasSize(1);
        List<String> types = JournalReader.read(kept.get(0)).stream()
                .map(JournalReader.Event::type)
                .toList();
        assertThat(types).as("what could not be written is kept").contains("step.finished", "incident.closed");
        assertThat(r.err()).contains("runbook: journal: {\"seq\":");
    }

    @Test
    void aLogReplacedMidRunIsNotWrittenTo() throws IOException {
        Path logs = dir.resolve("logs");
        Path marker = dir.resolve("after");
        Path rb = runbook("""
                  - id: replace
                    shell: for f in %s/*.jsonl; do mv "$f" "$f.orig"; echo forged > "$f"; done
                  - id: next
                    shell: touch %s
                """.formatted(logs, marker));

        CliRun r = run(rb, logs);

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("was replaced by another file");
        assertThat(marker).doesNotExist();
        Path forged = files(logs).stream()
                .filter(p -> p.toString().endsWith(".jsonl"))
                .findFirst()
                .orElseThrow();
        assertThat(Files.readString(forged)).isEqualTo("forged\n");
    }

    @Test
    void logsArePrivateAndBornWithTheirFirstEvent() throws IOException {
        Path logs = dir.resolve("private");
        CliRun r = run(runbook("  - id: one\n    shell: echo hi\n"), logs);

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logs)))
                .isEqualTo("rwx------");
        Path log = CliRun.onlyLog(logs);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
                .isEqualTo("rw-------");
        assertThat(files(logs)).as("no temporary file left").containsExactly(log);
    }

    @Test
    void aTornLastLineIsReadVerifiedAndExportedAsEndedAbruptly() throws IOException {
        Path logs = dir.resolve("logs");
        CliRun r = run(runbook("  - id: one\n    shell: echo hi\n"), logs);
        assertThat(r.code()).isZero();
        Path log = CliRun.onlyLog(logs);
        List<String> lines = Files.readAllLines(log);
        // a crash while writing the close: the last line cut in the middle, no newline
        String torn = String.join("\n", lines.subList(0, lines.size() - 1)) + "\n"
                + lines.get(lines.size() - 1).substring(0, 30);
        Files.writeString(log, torn);

        assertThat(JournalVerifier.verify(log).ok()).isTrue();
        assertThat(JournalVerifier.verify(log).torn()).isTrue();
        CliRun verify = CliRun.run("log", "verify", log.toString());
        assertThat(verify.code()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("chain intact").contains("ended abruptly");
        CliRun list = CliRun.run("log", "list", "--log-dir", logs.toString());
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).contains("ended abruptly");
        CliRun export = CliRun.run("log", "export", log.toString());
        assertThat(export.code()).as(export.toString()).isZero();
        assertThat(export.out()).contains("ended abruptly");
    }

    @Test
    void anEmptyFileInTheLogDirectoryDoesNotFailTheList() throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("20260101T000000Z-RB-X.jsonl"), "");
        CliRun r = run(runbook("  - id: one\n    shell: echo hi\n"), logs);
        assertThat(r.code()).isZero();

        CliRun list = CliRun.run("log", "list", "--log-dir", logs.toString());

        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).contains("RB-FAULT");
        assertThat(list.err()).contains("warning").contains("RB-X.jsonl");
    }
}
