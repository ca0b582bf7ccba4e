package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.journal.JournalVerifier;
import dev.runbook.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code runbook:} action: a child incident with its own log, linked both ways; cycles refused. */
class CallRunbookTest {

    @TempDir
    Path dir;

    private void write(String name, String yaml) throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib").resolve(name), yaml);
    }

    private List<Path> logs() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("logs"))) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static JournalReader.Event first(Path log, EventType type) throws Exception {
        return JournalReader.read(log).stream()
                .filter(e -> type.is(e.type()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aParentCallsAChildThatFailsAndOneThatResolves() throws Exception {
        write("child-ok.yaml", """
                id: CHILD-OK
                title: Child that works
                severity: P3
                inputs:
                  who: {description: who asks}
                steps:
                  - id: greet
                    shell: echo "hello ${inputs.who}" > %s/greeting
                """.formatted(dir));
        write("child-ko.yaml", """
                id: CHILD-KO
                title: Child that fails
                severity: P3
                steps:
                  - id: breaks
                    shell: exit 4
                """);
        write("parent.yaml", """
                id: PARENT
                title: Parent
                severity: P2
                steps:
                  - id: failover
                    runbook: CHILD-KO
                    on_failure: continue
                  - id: greet
                    runbook: {id: CHILD-OK, inputs: {who: "${incident.id}"}}
                  - id: after
                    shell: echo "${steps.greet.incident} ${steps.greet.child_outcome} ${steps.failover.child_outcome}"
                """);

        CliRun r = CliRun.run(
                "run",
                "PARENT",
                "--yes",
                "--dir",
                dir.resolve("lib").toString(),
                "--log-dir",
                dir.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(logs()).hasSize(3);
        Path parent = logs().stream()
                .filter(p -> p.toString().endsWith("-PARENT.jsonl"))
                .findFirst()
                .orElseThrow();
        Path ko = logs().stream()
                .filter(p -> p.toString().endsWith("-CHILD-KO.jsonl"))
                .findFirst()
                .orElseThrow();
        Path ok = logs().stream()
                .filter(p -> p.toString().endsWith("-CHILD-OK.jsonl"))
                .findFirst()
                .orElseThrow();
        String parentId = parent.getFileName().toString().replace(".jsonl", "");
        for (Path log : logs()) {
            assertThat(JournalVerifier.verify(log).ok()).as(log.toString()).isTrue();
        }
        assertThat(first(ko, EventType.INCIDENT_OPENED).fields().get("parent"))
                .isEqualTo(Map.of("incident", parentId, "step", "failover"));
        assertThat(first(ko, EventType.INCIDENT_CLOSED).str("outcome")).isEqualTo("failed");
        List<JournalReader.Event> finished = JournalReader.read(parent).stream()
                .filter(e -> EventType.STEP_FINISHED.is(e.type()))
                .toList();
        assertThat(finished.get(0).str("status")).isEqualTo("failed");
        assertThat(finished.get(0).str("error")).contains("ended failed");
        assertThat(finished.get(0).fields().get("result"))
                .asString()
                .contains("incident=" + ko.getFileName().toString().replace(".jsonl", ""));
        assertThat(finished.get(1).str("status")).isEqualTo("succeeded");
        assertThat(Files.readString(dir.resolve("greeting")).strip()).isEqualTo("hello " + parentId);
        assertThat(r.out())
                .contains("↳ CHILD-OK runs as a child incident of " + parentId)
                .contains(ok.getFileName().toString().replace(".jsonl", "") + " resolved failed");
        CliRun show = CliRun.run("log", "show", parent.toString());
        assertThat(show.out())
                .contains("child incident " + ok.getFileName().toString().replace(".jsonl", "") + " resolved");
    }

    /**
     * Attack: the parent's secret reaches the child as an input, and the child prints it raw and
     * encoded (base64, hex, URL, JSON) on stdout and in its error. The child masks none of it by its
     * own plan (it declares no secret), so every form must be masked by the parent's secrets.
     */
    @Test
    void aChildIncidentMasksItsParentsSecrets() throws Exception {
        String secret = "s3cr3t-Tok/en+42";
        write("child.yaml", """
                id: CHILD-LEAK
                title: Child that prints what it is given
                severity: P3
                inputs:
                  token: {description: a token}
                steps:
                  - id: raw
                    shell: echo "raw=${inputs.token}"
                  - id: encoded
                    shell: |
                      printf '%s' "${inputs.token}" | base64
                      printf '%s' "${inputs.token}" | od -An -tx1 | tr -d ' \\n'; echo
                      printf 'pre-%s' "${inputs.token}" | base64
                  - id: fails
                    shell: echo "token ${inputs.token} refused" >&2; exit 3
                    on_failure: continue
                """);
        write("parent.yaml", """
                id: PARENT-S
                title: Parent with a secret
                severity: P3
                secrets: [API_TOKEN]
                steps:
                  - id: call
                    runbook: {id: CHILD-LEAK, inputs: {token: "${secrets.API_TOKEN}"}}
                """);

        CliRun r = CliRun.with()
                .env("API_TOKEN", secret)
                .run(
                        "run",
                        "PARENT-S",
                        "--yes",
                        "--dir",
                        dir.resolve("lib").toString(),
                        "--log-dir",
                        dir.resolve("logs").toString());

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("raw=****");
        byte[] bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<String> forms = List.of(
                secret,
                java.util.Base64.getEncoder().encodeToString(bytes),
                java.util.HexFormat.of().formatHex(bytes),
                java.util.Base64.getEncoder()
                        .encodeToString(("pre-" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8));
        int attacks = 0;
        for (Path log : logs()) {
            String text = Files.readString(log);
            for (String form : forms) {
                attacks++;
                assertThat(text).as(log + " holds " + form).doesNotContain(form);
            }
        }
        for (String form : forms) {
            attacks += 2;
            assertThat(r.out()).as("stdout holds " + form).doesNotContain(form);
            assertThat(r.err()).as("stderr holds " + form).doesNotContain(form);
        }
        assertThat(attacks).isEqualTo(forms.size() * (logs().size() + 2));
        System.out.println("child-masking attacks tried and held: " + attacks);
    }

    @Test
    void validateRefusesACycleAndAnUnknownRunbook() throws Exception {
        write("a.yaml", "id: A\ntitle: A\nseverity: P3\nsteps:\n  - id: to-b\n    runbook: B\n");
        write("b.yaml", "id: B\ntitle: B\nseverity: P3\nsteps:\n  - id: to-c\n    runbook: {id: C}\n");
        write("c.yaml", "id: C\ntitle: C\nseverity: P3\nsteps:\n  - id: back\n    runbook: A\n");
        write("d.yaml", "id: D\ntitle: D\nseverity: P3\nsteps:\n  - id: lost\n    runbook: NOWHERE\n");
        write(
                "e.yaml",
                "id: E\ntitle: E\nseverity: P3\nsteps:\n  - id: bad-input\n    runbook: {id: D, inputs: {x: y}}\n");

        CliRun r = CliRun.run("validate", dir.resolve("lib").toString());

        assertThat(r.code()).isEqualTo(1);
        String all = r.out() + r.err();
        assertThat(all)
                .contains("runbook A calls itself: A → B → C → A")
                .contains("runbook B calls itself: B → C → A → B")
                .contains("step 'lost' calls runbook 'NOWHERE', which is not in the library")
                .contains("step 'bad-input' gives input 'x', which D does not declare");
    }
}
