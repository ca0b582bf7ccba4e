package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.Events;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C typed on a real terminal (a pty from util-linux {@code script}) while {@code runbook run}
 * waits at a prompt: the log is closed {@code interrupted} at once, exit 130. The pty is one
 * nobody sized (0x0): the line editor still draws its prompt.
 */
class PromptInterruptTest {

    @TempDir
    Path dir;

    @Test
    void ctrlCAtAPromptActsAtOnce() throws Exception {
        assumeTrue(new File("/usr/bin/script").canExecute(), "util-linux script is not installed");
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, "id: RB-PROMPT\ntitle: Prompt\nseverity: P2\nsteps:\n  - id: one\n    shell: echo one\n");
        String java = ProcessHandle.current().info().command().orElse("java");
        String cmd = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName()
                + " run '" + rb + "' --no-color --log-dir '" + dir.resolve("logs") + "'";
        // script gives its command a pty it does not size (stdin is a pipe): 0x0, as under cron or CI
        Process p = new ProcessBuilder("script", "-qfec", cmd, "/dev/null")
                .redirectErrorStream(true)
                .start();
        StringBuffer seen = new StringBuffer();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (InputStream out = p.getInputStream()) {
                for (int n; (n = out.read(buf)) >= 0; ) {
                    seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.io.IOException e) {
                seen.append("\n[read failed: ").append(e.getMessage()).append(']');
            }
        });
        reader.setDaemon(true);
        reader.start();
        long ms;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!seen.toString().contains("Run step 1/1") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(seen.toString())
                    .as("the prompt, drawn on an unsized terminal")
                    .contains("Run step 1/1");
            Thread.sleep(300);
            long t0 = System.nanoTime();
            OutputStream keys = p.getOutputStream();
            keys.write(3); // Ctrl-C: the pty sends SIGINT to the foreground process group
            keys.flush();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as(seen.toString()).isTrue();
            ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            reader.join(5_000);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }

        assertThat(p.exitValue()).as(seen.toString()).isEqualTo(130);
        assertThat(ms).as("acts at once, not after a grace").isLessThan(2000);
        Path log = CliRun.onlyLog(dir.resolve("logs"));
        assertThat(JournalVerifier.verify(log).ok()).isTrue();
        assertThat(Events.of(log).outcome()).isEqualTo("interrupted");
        assertThat(seen.toString())
                .as("closed from the signal's thread, then signed or said unsigned")
                .containsPattern("log (closed unsigned|signed with)");
    }
}
