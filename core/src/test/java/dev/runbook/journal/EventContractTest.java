package dev.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every event type against the contract's table (../shared/runbook-format.md, "The incident
 * log"): one record per type, whose fields are exactly the contract's, in its order, plus the
 * extensions docs/format.md documents.
 */
class EventContractTest {

    /** Fields the project adds (docs/format.md), after the contract's own. */
    private static final Map<EventType, List<String>> EXTENSIONS = Map.of(
            EventType.INCIDENT_OPENED,
            List.of("sla", "start_at", "parent"),
            EventType.STEP_STARTED,
            List.of("phase"),
            EventType.STEP_FINISHED,
            List.of("phase"),
            EventType.INCIDENT_CLOSED,
            List.of("error", "verified"));

    private static final Pattern ROW =
            Pattern.compile("^\\|\\s*(`[a-z._]+`(?:\\s*/\\s*`[a-z._]+`)*)\\s*\\|(.*)\\|\\s*$");
    private static final Pattern CODE = Pattern.compile("`([a-z0-9_.]+)`");

    static Map<String, List<String>> contractTable() throws IOException {
        return table(Path.of("..", "shared", "runbook-format.md"), "Event types (with their own fields):");
    }

    /** The event types the project adds, from docs/format.md's own table. */
    static Map<String, List<String>> addedTable() throws IOException {
        return table(Path.of("docs", "format.md"), "Event types runbook adds (with their own fields):");
    }

    private static Map<String, List<String>> table(Path file, String heading) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int from = lines.indexOf(heading);
        assertThat(from).as(heading + " in " + file).isNotNegative();
        Map<String, List<String>> table = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : lines.subList(from + 1, lines.size())) {
            if (inTable && !line.startsWith("|")) {
                break; // the table ended
            }
            inTable |= line.startsWith("|");
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String[] types = m.group(1).split("/");
            String[] fieldCells = types.length > 1 ? m.group(2).split(" / ") : new String[] {m.group(2)};
            for (int i = 0; i < types.length; i++) {
                String cell = fieldCells[i].replaceAll("\\([^)]*\\)", "").replaceAll("\\{[^}]*\\}", "");
                List<String> fields = new ArrayList<>();
                Matcher c = CODE.matcher(cell);
                while (c.find()) {
                    fields.add(c.group(1));
                }
                table.put(types[i].strip().replace("`", ""), fields);
            }
        }
        return table;
    }

    @Test
    void everyEventTypeHasTheContractsFields() throws IOException {
        Map<String, List<String>> table = new LinkedHashMap<>(contractTable());
        Map<String, List<String>> added = addedTable();
        assertThat(added.keySet()).as("added types are new names").doesNotContainAnyElementsOf(table.keySet());
        table.putAll(added);
        assertThat(table.keySet())
                .as("the contract's event types, then docs/format.md's, in order")
                .containsExactly(
                        Arrays.stream(EventType.values()).map(EventType::wire).toArray(String[]::new));
        PropertyNamingStrategies.NamingBase snake =
                (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
        int checked = 0;
        for (Class<?> c : Event.class.getPermittedSubclasses()) {
            EventType type = typeOf(c);
            List<String> fields = Arrays.stream(c.getRecordComponents())
                    .map(rc -> snake.translate(rc.getName()))
                    .toList();
            List<String> expected = new ArrayList<>(table.get(type.wire()));
            expected.addAll(EXTENSIONS.getOrDefault(type, List.of()));
            assertThat(fields).as(type.wire()).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).as("one record per event type").isEqualTo(EventType.values().length);
    }

    private static EventType typeOf(Class<?> record) {
        try {
            Object[] args = Arrays.stream(record.getRecordComponents())
                    .map(rc -> rc.getType().isPrimitive() ? (Object) 0 : null)
                    .toArray();
            Class<?>[] types = Arrays.stream(record.getRecordComponents())
                    .map(rc -> rc.getType())
                    .toArray(Class<?>[]::new);
            for (int i = 0; i < args.length; i++) {
                if (types[i] == long.class) {
                    args[i] = 0L;
                } else if (types[i] == boolean.class) {
                    args[i] = false;
                }
            }
            return ((Event) record.getDeclaredConstructor(types).newInstance(args)).type();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
