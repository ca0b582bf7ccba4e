package dev.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.model.ActionSpec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link WaitAction}. */
class WaitActionTest {

    private final WaitAction action = new WaitAction();

    @Test
    void waitsWithACountdownAndSucceeds() throws Exception {
        Contexts c = new Contexts().input("what", "connections");
        ActionResult r =
                action.execute(new ActionSpec.Wait(Duration.ofMillis(1200), "draining ${inputs.what}"), c.build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(r.fields()).isEmpty();
        assertThat(c.output.progress)
                .isNotEmpty()
                .allMatch(p -> p.matches("waiting [12]s: draining connections"))
                .contains("waiting 1s: draining connections");
    }

    @Test
    void aTimeoutShorterThanTheDurationTimesOut() throws Exception {
        Contexts c = new Contexts().timeout(Duration.ofMillis(300));
        ActionResult r = action.execute(new ActionSpec.Wait(Duration.ofSeconds(30), null), c.build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.TIMED_OUT);
        assertThat(r.error()).isEqualTo("timed out after 300ms of a 30s wait");
        assertThat(c.output.progress).first().isEqualTo("waiting 1s");
    }

    @Test
    void anInterruptEndsTheWait() throws Exception {
        Contexts c = new Contexts().timeout(Duration.ofMinutes(5));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                action.execute(new ActionSpec.Wait(Duration.ofMinutes(2), null), c.build());
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        t.interrupt();
        t.join(10_000);

        assertThat(t.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void targetShowsDurationAndMaskedMessage() {
        Contexts c = new Contexts().secret("S", "sekret");
        assertThat(action.target(new ActionSpec.Wait(Duration.ofSeconds(30), "after ${secrets.S}"), c.renderer(), null))
                .isEqualTo("wait 30s: after ****");
        assertThat(action.target(new ActionSpec.Wait(Duration.ofMinutes(5), null), c.renderer(), null))
                .isEqualTo("wait 5m");
    }
}
