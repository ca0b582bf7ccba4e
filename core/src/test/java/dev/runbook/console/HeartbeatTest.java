package dev.runbook.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Feedback on silent work (issue 12, item 10): a spinner on a terminal, a heartbeat line elsewhere. */
class HeartbeatTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<String> status = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();

    private Heartbeat beat(boolean tty) {
        return new Heartbeat(tty, 30_000, status::add, lines::add, now::get);
    }

    @Test
    void offATerminalOneLineEveryThirtySecondsOfSilence() {
        Heartbeat h = beat(false);
        h.start();
        now.addAndGet(1_999);
        h.tick();
        now.addAndGet(25_000);
        h.tick();
        assertThat(lines).isEmpty();
        now.addAndGet(5_000); // 31.999 s of silence
        h.tick();
        h.tick();
        assertThat(lines).containsExactly("    … still running after 31s (no output for 31s)");
        h.output(); // the step speaks: the silence starts again
        now.addAndGet(29_000);
        h.tick();
        assertThat(lines).hasSize(1);
        now.addAndGet(2_000);
        h.tick();
        assertThat(lines).hasSize(2).last().asString().startsWith("    … still running after 1m02s");
        h.stop();
        now.addAndGet(60_000);
        h.tick();
        assertThat(lines).hasSize(2);
        assertThat(status).isEmpty();
    }

    @Test
    void onATerminalASpinnerAfterTwoSecondsOfSilence() {
        Heartbeat h = beat(true);
        h.start();
        now.addAndGet(1_000);
        h.tick();
        assertThat(status).isEmpty();
        now.addAndGet(1_500);
        h.tick();
        now.addAndGet(250);
        h.tick();
        assertThat(status).hasSize(2).allMatch(s -> s.matches(". running 2s"));
        assertThat(status.get(0).charAt(0)).isNotEqualTo(status.get(1).charAt(0));
        assertThat(lines).isEmpty();
        h.stop();
    }

    @Test
    void aSilentStepOfARealRunGetsAHeartbeatInItsOutputNotInItsLog() throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, "id: SLOW\ntitle: slow\nseverity: P3\nsteps:\n  - id: wait\n    shell: sleep 4\n");
        CliRun r = CliRun.with()
                .env("RUNBOOK_HEARTBEAT", "1")
                .run(
                        "run",
                        rb.toString(),
                        "--yes",
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("    … still running after 2s (no output for 2s)");
        assertThat(Files.readString(CliRun.onlyLog(dir.resolve("logs")))).doesNotContain("still running");
    }
}
