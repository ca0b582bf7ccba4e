package dev.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.model.Outcome;
import dev.runbook.model.StepStatus;
import dev.runbook.template.Masker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash-chain check on logs damaged in each way it knows, the chain recomputed where needed. */
class JournalVerifierTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private List<Map<String, Object>> goodLog() throws Exception {
        Clock clock = Clock.systemUTC();
        Path log;
        Masker masker = new Masker();
        masker.add("hunter2-secret");
        Event.IncidentOpened opened = new Event.IncidentOpened(
                Map.of("id", "RB-V"), null, "auto", "op", "host", Map.of("pw", "hunter2-secret"), "0", Map.of());
        try (JournalWriter w = JournalWriter.create(dir, "RB-V", Instant.now(), masker, clock, opened, null)) {
            w.append(new Event.StepStarted("one", 1, "shell", "echo hunter2-secret"));
            w.append(new Event.StepFinished("one", 1, StepStatus.SUCCEEDED, 3, Map.of(), null));
            w.append(new Event.Note("a note", null));
            w.append(new Event.IncidentClosed(Outcome.RESOLVED, 10, null, false));
            log = w.path();
        }
        String text = Files.readString(log);
        assertThat(text).doesNotContain("hunter2-secret").contains("****");
        List<Map<String, Object>> events = new ArrayList<>();
        for (String line : text.split("\n")) {
            events.add(JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() {}));
        }
        return events;
    }

    /** Writes the events with a recomputed chain: what a forger would do. */
    private Path rechained(List<Map<String, Object>> events) throws Exception {
        StringBuilder b = new StringBuilder();
        String prev = JournalWriter.GENESIS;
        for (Map<String, Object> e : events) {
            e.put("prev", prev);
            String line = JSON.writeValueAsString(e);
            b.append(line).append('\n');
            prev = dev.runbook.model.Sha256.hex(line);
        }
        Path p = Files.createTempFile(dir, "forged", ".jsonl");
        Files.writeString(p, b.toString());
        return p;
    }

    private JournalVerifier.Result damaged(Consumer<List<Map<String, Object>>> damage) throws Exception {
        List<Map<String, Object>> events = goodLog();
        damage.accept(events);
        return JournalVerifier.verify(rechained(events));
    }

    @Test
    void aGoodLogIsIntactAndClosed() throws Exception {
        JournalVerifier.Result r = JournalVerifier.verify(rechained(goodLog()));
        assertThat(r.ok()).isTrue();
        assertThat(r.closed()).isTrue();
        assertThat(r.events()).isEqualTo(5);
    }

    @Test
    void aLogWithoutItsCloseIsIntactButNotClosed() throws Exception {
        JournalVerifier.Result r = damaged(e -> e.remove(4));
        assertThat(r.ok()).isTrue();
        assertThat(r.closed()).isFalse();
    }

    @Test
    void eachDamageIsFoundAtItsLine() throws Exception {
        assertThat(damaged(e -> e.get(2).put("seq", 7)).reason()).isEqualTo("seq is 7, expected 3");
        assertThat(damaged(e -> e.get(3).put("type", "coffee.break")).reason())
                .isEqualTo("unknown event type 'coffee.break'");
        assertThat(damaged(e -> e.get(0).put("type", "note")).reason())
                .isEqualTo("the first event is note, not incident.opened");
        JournalVerifier.Result otherIncident = damaged(e -> e.get(2).put("incident", "other"));
        assertThat(otherIncident.reason()).startsWith("incident is other, expected ");
        assertThat(otherIncident.badLine()).isEqualTo(3);
        assertThat(damaged(e -> e.get(1).remove("ts")).reason()).isEqualTo("no ts");
    }

    @Test
    void anEditWithoutRechainingBreaksTheChainAtTheNextLine() throws Exception {
        Path log = rechained(goodLog());
        List<String> lines = new ArrayList<>(Files.readAllLines(log));
        lines.set(1, lines.get(1).replace("\"attempt\":1", "\"attempt\":2"));
        Files.write(log, lines);
        JournalVerifier.Result r = JournalVerifier.verify(log);
        assertThat(r.ok()).isFalse();
        assertThat(r.badLine()).isEqualTo(3);
        assertThat(r.reason()).startsWith("prev does not match");
    }

    @Test
    void emptyAndNonJsonLogs() throws Exception {
        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "");
        assertThat(JournalVerifier.verify(empty).reason()).isEqualTo("the log is empty");
        Path garbage = dir.resolve("garbage.jsonl");
        Files.writeString(garbage, "this is not json\n");
        assertThat(JournalVerifier.verify(garbage).reason()).isEqualTo("not a JSON object");
    }
}
