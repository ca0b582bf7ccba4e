package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.journal.JournalWriter;
import dev.runbook.load.RunbookLoader;
import dev.runbook.model.Outcome;
import dev.runbook.model.Runbook;
import dev.runbook.template.Masker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one writer of an incident: nothing after {@code incident.closed}, whatever thread writes. */
class RecorderTest {

    @TempDir
    Path dir;

    @Test
    void anSlaBreachAtTheMomentOfCloseIsNeverWrittenAfterIncidentClosed() throws Exception {
        Path file = dir.resolve("rb.yaml");
        Files.writeString(file, """
                id: RB-RACE
                title: Race
                severity: P1
                sla: {respond: 1ms, resolve: 1ms}
                steps:
                  - id: one
                    wait: 1ms
                """);
        Runbook rb = RunbookLoader.load(file);
        Clock clock = Clock.systemUTC();
        int runs = 300;
        int breachesSeen = 0;
        for (int i = 0; i < runs; i++) {
            Plan plan = Planner.plan(new Planner.Request(
                    rb, null, null, Mode.AUTO, Map.of(), Map.of(), "tester", "here", false, null, true));
            Instant start = clock.instant();
            Path log;
            try (JournalWriter j = JournalWriter.create(
                    dir.resolve("logs"), "RB-RACE-" + i, start, new Masker(), clock, Opened.event(plan, start), null)) {
                Recorder rec = new Recorder(plan, j, clock, start);
                rec.open(false, java.util.Set.of(), b -> {});
                LockSupport.parkNanos((i % 20) * 100_000L); // 0 to 1.9 ms: around the 1 ms targets
                assertThat(rec.close(Outcome.RESOLVED, "not finished", null, false))
                        .isTrue();
                assertThat(rec.close(Outcome.FAILED, "not finished", null, false))
                        .as("closed once")
                        .isFalse();
                log = j.path();
            }
            Thread.sleep(i % 50 == 0 ? 5 : 0); // let a late timer fire: it must write nothing
            List<JournalReader.Event> events = JournalReader.read(log);
            assertThat(events.get(events.size() - 1).type())
                    .as("last event of run " + i)
                    .isEqualTo("incident.closed");
            assertThat(events.stream().filter(e -> e.type().equals("incident.closed")))
                    .hasSize(1);
            assertThat(JournalVerifier.verify(log).ok()).isTrue();
            breachesSeen += (int)
                    events.stream().filter(e -> e.type().equals("sla.breached")).count();
        }
        assertThat(breachesSeen).as("breaches were raced against the close").isPositive();
    }
}
