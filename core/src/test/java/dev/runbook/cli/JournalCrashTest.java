package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log against the worst faults: SIGKILL at random points, and a full disk
 * (ENOSPC on a small tmpfs). After a kill the log is absent (killed before it was born) or
 * verifies, with at most a torn last line; every action that ran was announced first.
 */
class JournalCrashTest {

    @TempDir
    Path dir;

    private static final int STEPS = 40;

    private Path runbook() throws Exception {
        StringBuilder b = new StringBuilder("id: RB-KILL\ntitle: Kill\nseverity: P2\nsteps:\n");
        for (int i = 0; i < STEPS; i++) {
            b.append("  - id: s")
                    .append(i)
                    .append("\n    shell: touch \"$MARKS/s")
                    .append(i)
                    .append("\"\n");
        }
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, b.toString());
        return rb;
    }

    private ProcessBuilder runbookProcess(List<String> prefix, Path rb, Path logs, Path marks) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                rb.toString(),
                "--yes",
                "--no-color",
                "--log-dir",
                logs.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MARKS", marks.toString());
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        return pb;
    }

    @Test
    void sigkillAtRandomPointsNeverLosesAnAnnouncedActionNorBreaksTheChain() throws Exception {
        Path rb = runbook();
        Random random = new Random(20261201);
        int kills = 50;
        int withLog = 0;
        int torn = 0;
        for (int k = 0; k < kills; k++) {
            Path logs = dir.resolve("logs-" + k);
            Path marks = Files.createDirectories(dir.resolve("marks-" + k));
            Process p = runbookProcess(List.of(), rb, logs, marks).start();
            java.io.BufferedReader lines =
                    new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            String first = lines.readLine(); // the banner: the walk is about to start
            assertThat(first).as("kill #%d: the run started", k).isNotNull();
            Thread drain = new Thread(() -> {
                try {
                    lines.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException ignored) {
                    // killed
                }
            });
            drain.start();
            Thread.sleep(random.nextInt(400));
            p.destroyForcibly();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Set<String> ran;
            try (Stream<Path> m = Files.list(marks)) {
                ran = m.map(x -> x.getFileName().toString()).collect(Collectors.toSet());
            }
            List<Path> logFiles = Files.isDirectory(logs) ? jsonl(logs) : List.of();
            if (logFiles.isEmpty()) {
                assertThat(ran).as("kill #%d: no log, so nothing ran", k).isEmpty();
                continue;
            }
            withLog++;
            Path log = logFiles.get(0);
            JournalVerifier.Result r = JournalVerifier.verify(log);
            assertThat(r.ok()).as("kill #%d: %s", k, r.reason()).isTrue();
            torn += r.torn() ? 1 : 0;
            Set<String> announced = JournalReader.read(log).stream()
                    .filter(e -> e.type().equals("step.started"))
                    .map(e -> e.str("step"))
                    .collect(Collectors.toSet());
            assertThat(announced)
                    .as("kill #%d: every action that ran was announced first", k)
                    .containsAll(ran);
        }
        System.out.printf(
                "SIGKILL: %d kills at random points, %d left a log (all verify; %d with a torn last line),"
                        + " every action announced before it ran%n",
                kills, withLog, torn);
        assertThat(withLog).as("kills that hit a running walk").isGreaterThan(kills / 3);
    }

    private static List<Path> jsonl(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(x -> x.toString().endsWith(".jsonl")).toList();
        }
    }

    /** ENOSPC: an 8 KiB tmpfs fills up mid-run; needs a new mount namespace, so it runs as the real user. */
    @Tag("host")
    @Test
    void aFullDiskStopsTheRunWithAValidLogAndTheRestInTheFallback() throws Exception {
        assumeTrue("0".equals(OpenSshServer.id()), "ENOSPC test skipped: mounting a tmpfs needs root");
        Path rb = runbook();
        Path logs = Files.createDirectories(dir.resolve("small"));
        Path marks = Files.createDirectories(dir.resolve("marks"));
        ProcessBuilder pb = runbookProcess(List.of(), rb, logs, marks);
        List<String> inner = pb.command();
        String quoted =
                inner.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
        Path copy = Files.createDirectories(dir.resolve("copy"));
        ProcessBuilder ns = new ProcessBuilder(
                        "unshare",
                        "-m",
                        "sh",
                        "-c",
                        "mount -t tmpfs -o size=8k tmpfs '" + logs + "' && " + quoted + "; rc=$?; cp '" + logs
                                + "'/*.jsonl '" + copy + "'/; exit $rc")
                .redirectErrorStream(true);
        ns.environment().putAll(pb.environment());
        Process p = ns.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(ExitCodes.FAILED);
        assertThat(out).contains("No space left on device").contains("the run stopped before the next action");
        Path log = jsonl(copy).get(0);
        JournalVerifier.Result r = JournalVerifier.verify(log);
        assertThat(r.ok())
                .as("the log on the full disk verifies: " + r.reason())
                .isTrue();
        assertThat(r.torn()).as("no half-written line").isFalse();
        List<Path> kept;
        try (Stream<Path> s = Files.list(dir.resolve("state/runbook"))) {
            kept = s.toList();
        }
        assertThat(kept).as("the fallback copy").hasSize(1);
        assertThat(out).contains("runbook: journal: {");
    }
}
