package dev.runbook.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Required keys come from {@link Shapes} alone ({@link Fields} reads each map against its shape):
 * every required key of every runbook and inventory map, left out, gives exactly one "is missing
 * required key" problem at the map's position, and a key that is there but wrong keeps its own
 * message.
 */
class RequiredKeysTest {

    @TempDir
    Path dir;

    private static final String HEAD = "id: RB-REQ\ntitle: T\nseverity: P3\n";

    /** Each case: a runbook missing one required key, and the key. */
    private static final Map<String, String> RUNBOOKS = Map.ofEntries(
            Map.entry("title: T\nseverity: P3\nsteps:\n  - {id: a, shell: 'true'}\n", "id"),
            Map.entry("id: RB-REQ\nseverity: P3\nsteps:\n  - {id: a, shell: 'true'}\n", "title"),
            Map.entry("id: RB-REQ\ntitle: T\nsteps:\n  - {id: a, shell: 'true'}\n", "severity"),
            Map.entry(HEAD, "steps"),
            Map.entry(HEAD + "steps:\n  - {shell: 'true'}\n", "id"),
            Map.entry(HEAD + "steps:\n  - {id: a, shell: {workdir: /tmp}}\n", "command"),
            Map.entry(HEAD + "steps:\n  - {id: a, ssh: {command: uptime}}\n", "hosts"),
            Map.entry(HEAD + "steps:\n  - {id: a, ssh: {hosts: [web1]}}\n", "command"),
            Map.entry(HEAD + "steps:\n  - {id: a, http: {method: GET}}\n", "url"),
            Map.entry(HEAD + "steps:\n  - {id: a, sql: {database: db}}\n", "query"),
            Map.entry(HEAD + "steps:\n  - {id: a, manual: {checklist: [x]}}\n", "text"),
            Map.entry(HEAD + "steps:\n  - {id: a, wait: {message: m}}\n", "duration"),
            Map.entry(HEAD + "steps:\n  - {id: a, notify: {channel: c}}\n", "message"),
            Map.entry(HEAD + "steps:\n  - {id: a, input: {secret: true}}\n", "name"),
            Map.entry(HEAD + "steps:\n  - {id: a, choose: {options: [x]}}\n", "question"),
            Map.entry(HEAD + "steps:\n  - {id: a, choose: {question: q}}\n", "options"),
            Map.entry(HEAD + "steps:\n  - {id: a, choose: {question: q, options: [{goto: end}]}}\n", "label"),
            Map.entry(HEAD + "steps:\n  - {id: a, runbook: {inputs: {}}}\n", "id"),
            Map.entry(HEAD + "escalation:\n  - {notify: hi}\nsteps:\n  - {id: a, shell: 'true'}\n", "after"),
            Map.entry(HEAD + "escalation:\n  - {after: 5m}\nsteps:\n  - {id: a, shell: 'true'}\n", "notify"),
            Map.entry(HEAD + "updates: {on: [opened]}\nsteps:\n  - {id: a, shell: 'true'}\n", "channel"),
            Map.entry(HEAD + "drill: {allow_dangerous: true}\nsteps:\n  - {id: a, shell: 'true'}\n", "fault"));

    @Test
    void eachMissingRequiredKeyOfARunbookIsReportedOnce() throws Exception {
        int i = 0;
        for (Map.Entry<String, String> c : RUNBOOKS.entrySet()) {
            Path f = Files.writeString(dir.resolve("rb-" + i++ + ".yaml"), c.getKey());
            assertThat(problems(() -> RunbookLoader.load(f)))
                    .as(c.getKey())
                    .filteredOn(p -> p.contains("is missing required key"))
                    .singleElement()
                    .satisfies(p -> assertThat(p).endsWith("is missing required key '" + c.getValue() + "'"));
        }
        assertThat(i).isEqualTo(RUNBOOKS.size());
    }

    @Test
    void aRequiredKeyThatIsThereButWrongKeepsItsOwnMessage() throws Exception {
        Path f = Files.writeString(
                dir.resolve("rb.yaml"), HEAD + "steps:\n  - {id: a, choose: {question: q, options: []}}\n");
        assertThat(problems(() -> RunbookLoader.load(f)))
                .anyMatch(p -> p.contains("needs 'options'"))
                .noneMatch(p -> p.contains("is missing required key"));
    }

    @Test
    void eachMissingRequiredKeyOfAnInventoryIsReportedOnce() throws Exception {
        Map<String, String> cases = Map.of(
                "store: {url: 'jdbc:postgresql://db/x'}\n", "environments",
                "store: {user: rb}\nenvironments: {prod: {}}\n", "url",
                "environments: {prod: {databases: {db: {user: rb}}}}\n", "url",
                "environments: {prod: {channels: {ops: {format: json}}}}\n", "webhook");
        int i = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path f = Files.writeString(dir.resolve("inv-" + i++ + ".yaml"), c.getKey());
            assertThat(problems(() -> InventoryLoader.load(f, java.util.Map.of())))
                    .as(c.getKey())
                    .filteredOn(p -> p.contains("is missing required key"))
                    .singleElement()
                    .satisfies(p -> assertThat(p).endsWith("is missing required key '" + c.getValue() + "'"));
        }
    }

    private interface Load {
        void run() throws Exception;
    }

    private static List<String> problems(Load load) {
        List<String> out = new java.util.ArrayList<>();
        assertThatThrownBy(load::run)
                .isInstanceOfSatisfying(
                        InvalidException.class, e -> e.problems().forEach(p -> out.add(p.toString())));
        return out;
    }
}
