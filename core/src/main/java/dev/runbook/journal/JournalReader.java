package dev.runbook.journal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an incident log into events. Lines that are not JSON objects are kept with
 * empty fields (the {@link JournalVerifier} reports them).
 */
public final class JournalReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private JournalReader() {}

    /**
     * One line of the log.
     *
     * @param line 1-based line number
     * @param raw the exact line, without its newline
     * @param fields the parsed object; empty when the line is not a JSON object
     */
    public record Event(int line, String raw, Map<String, Object> fields) {

        /** The {@code type} field, or "" when absent. */
        public String type() {
            return String.valueOf(fields.getOrDefault("type", ""));
        }

        /** The event type, or empty when the {@code type} field is not one of the contract's. */
        public java.util.Optional<EventType> kind() {
            return EventType.of(type());
        }

        /** A field as a string, or null. */
        public String str(String name) {
            Object v = fields.get(name);
            return v == null ? null : String.valueOf(v);
        }

        /** A field as a long, or -1. */
        public long num(String name) {
            return fields.get(name) instanceof Number n ? n.longValue() : -1;
        }
    }

    /**
     * A log as read: its complete lines, and a last line torn by a crash while it was written.
     *
     * @param events the complete lines, in file order
     * @param tornTail the raw last line when it has no newline and is not a JSON object (a write
     *     cut short), else null; it is not among the events
     */
    public record Log(List<Event> events, String tornTail) {}

    /**
     * Reads every complete line of a log.
     *
     * @param file a {@code .jsonl} incident log
     * @return its events in file order (a torn last line left out)
     * @throws IOException when it cannot be read
     */
    public static List<Event> read(Path file) throws IOException {
        return readLog(file).events();
    }

    /**
     * Reads a log, telling a torn last line apart.
     *
     * @param file a {@code .jsonl} incident log
     * @throws IOException when it cannot be read
     */
    public static Log readLog(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        boolean ended = text.endsWith("\n");
        if (ended) {
            text = text.substring(0, text.length() - 1);
        }
        List<Event> out = new ArrayList<>();
        if (text.isEmpty()) {
            return new Log(out, null);
        }
        String[] lines = text.split("\n", -1);
        String torn = null;
        for (int i = 0; i < lines.length; i++) {
            Map<String, Object> fields;
            try {
                fields = JSON.readValue(lines[i], MAP);
            } catch (IOException | RuntimeException e) {
                fields = null;
            }
            if (fields == null && i == lines.length - 1 && !ended) {
                torn = lines[i];
                break;
            }
            out.add(new Event(i + 1, lines[i], fields == null ? Map.of() : fields));
        }
        return new Log(out, torn);
    }
}
