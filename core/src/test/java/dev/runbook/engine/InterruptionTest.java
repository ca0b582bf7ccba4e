package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.action.Cancellation;
import org.junit.jupiter.api.Test;

/** The stop request: the first signal wins, the running action is cancelled, sleeps end at once. */
class InterruptionTest {

    @Test
    void theFirstSignalWinsAndTheRunningActionIsCancelled() throws Exception {
        Interruption stop = new Interruption();
        assertThat(stop.requested()).isFalse();
        stop.check();
        Cancellation c = new Cancellation();
        stop.running(c);
        stop.request(StopSignal.TERM);
        stop.request(StopSignal.HUP);

        assertThat(stop.requested()).isTrue();
        assertThat(stop.signal()).isEqualTo(StopSignal.TERM);
        assertThat(c.cancelled()).isTrue();
        assertThatThrownBy(stop::check).isInstanceOf(Interruption.Interrupted.class);
        assertThatThrownBy(() -> stop.sleep(10_000)).isInstanceOf(Interruption.Interrupted.class);
    }

    @Test
    void aRequestInterruptsTheWalkingThreadAsleep() throws Exception {
        Interruption stop = new Interruption();
        Throwable[] thrown = new Throwable[1];
        Thread walker = new Thread(() -> {
            stop.walking();
            try {
                stop.sleep(30_000);
            } catch (Interruption.Interrupted e) {
                thrown[0] = e;
            }
        });
        walker.start();
        Thread.sleep(200);
        long t0 = System.nanoTime();
        stop.request(StopSignal.INT);
        walker.join(5_000);

        assertThat(walker.isAlive()).isFalse();
        assertThat(thrown[0]).isInstanceOf(Interruption.Interrupted.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        assertThat(StopSignal.HUP.exitCode()).isEqualTo(129);
        assertThat(StopSignal.TERM.label()).isEqualTo("SIGTERM");
    }
}
