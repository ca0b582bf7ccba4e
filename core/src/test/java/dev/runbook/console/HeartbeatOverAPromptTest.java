package dev.runbook.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat of a long step never prints over a question asked during it (a host key asked
 * in the middle of an ssh step): it waits while the prompt waits, and goes on after the answer.
 */
class HeartbeatOverAPromptTest {

    @Test
    void silentWhileAHostKeyIsAskedThenBack() throws Exception {
        PipedWriter keys = new PipedWriter();
        BufferedReader in = new BufferedReader(new PipedReader(keys));
        StringWriter screen = new StringWriter();
        Terminal t = new Terminal(
                in,
                new PrintWriter(screen, true),
                new PrintWriter(new StringWriter(), true),
                true,
                Map.of("RUNBOOK_HEARTBEAT", "1"),
                false);
        ConsoleOperator op = new ConsoleOperator(t, new Style(false), true);
        op.attemptStarted(null, 1, 1);
        AtomicBoolean trusted = new AtomicBoolean(true);
        Thread asking =
                new Thread(() -> trusted.set(op.hostKeys().trust("web1", "10.0.0.5:22", "ssh-ed25519", "SHA256:abc")));
        asking.start();
        Thread.sleep(3_500); // three heartbeat periods with the question waiting
        String during = screen.toString();
        assertThat(during)
                .contains("Trust it and record it in known_hosts? [y/N] ")
                .doesNotContain("still running");
        keys.write("n\n");
        keys.flush();
        asking.join(5_000);
        assertThat(trusted.get()).isFalse();
        long end = System.nanoTime() + 10_000_000_000L;
        while (!screen.toString().contains("still running") && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        op.attemptFinished(
                null, 1, dev.runbook.model.StepStatus.SUCCEEDED, java.time.Duration.ofSeconds(5), null, Map.of());
        assertThat(screen.toString().substring(during.length()))
                .as("the heartbeat goes on after the answer")
                .contains("still running");
    }
}
