package dev.runbook.testing;

import dev.runbook.journal.JournalReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads an incident log in tests: the events, their types, and events of one type. */
public final class Events {

    private final List<JournalReader.Event> events;

    private Events(List<JournalReader.Event> events) {
        this.events = events;
    }

    /** Reads a log file. */
    public static Events of(Path log) throws IOException {
        return new Events(JournalReader.read(log));
    }

    /** All events. */
    public List<JournalReader.Event> all() {
        return events;
    }

    /** The types in order. */
    public List<String> types() {
        return events.stream().map(JournalReader.Event::type).toList();
    }

    /** The events of a type. */
    public List<Map<String, Object>> ofType(String type) {
        return events.stream()
                .filter(e -> e.type().equals(type))
                .map(JournalReader.Event::fields)
                .toList();
    }

    /** "step:status" of every step.finished, in order. */
    public List<String> finishedSteps() {
        return ofType("step.finished").stream()
                .map(f -> f.get("step") + ":" + f.get("status"))
                .toList();
    }

    /** The outcome of incident.closed. */
    public String outcome() {
        List<Map<String, Object>> c = ofType("incident.closed");
        return c.isEmpty() ? null : String.valueOf(c.get(0).get("outcome"));
    }
}
