package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.Events;
import dev.runbook.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prompts of {@code runbook run} on a real terminal (tmux), with standard output piped to
 * {@code tee} as a responder keeping a transcript does (issue 12, item 6): cursor keys edit the
 * line (nothing of them reaches the log), ↑ recalls earlier notes, Tab completes an option, a
 * secret input is echoed nowhere, Ctrl-C at a prompt ends the run {@code interrupted} with 130
 * and leaves the terminal in its modes, {@code TERM=dumb} gets no escape codes.
 */
class PromptsOnATerminalTest {

    @TempDir
    Path dir;

    private static final String SECRET = "s3cr3t-Tok3n-ZZ";

    @BeforeEach
    void needsTmux() throws Exception {
        Assumptions.assumeTrue(Tmux.available(), "tmux is needed (.ci/run installs it)");
        Files.writeString(dir.resolve("rb.yaml"), """
                id: RB-T-001
                title: Prompts on a terminal
                severity: P3
                inputs:
                  token:
                    secret: true
                    description: the API token
                  who:
                    description: who is on call
                steps:
                  - id: first
                    shell: echo hello
                  - id: pick
                    choose:
                      question: Which way?
                      options:
                        - label: restart web
                          goto: last
                        - label: nothing
                  - id: last
                    shell: echo bye
                """);
    }

    /** A script that runs runbook on the terminal, its stdout through tee, then prints its exit code and the echo mode. */
    private String script(String env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path go = dir.resolve("go.sh");
        Files.writeString(
                go,
                "cd '" + dir + "'\n"
                        + env + " '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                        + Main.class.getName() + " run rb.yaml --log-dir logs --operator alice | tee tee.txt\n"
                        + "echo \"EXIT=${PIPESTATUS[0]}\"\n"
                        + "stty -a | grep -o -- ' -\\?echo ' | head -1 | sed 's/^/MODE=/'\n"
                        + "sleep 60\n");
        return "bash " + go;
    }

    /** Types the secret token and the name at the start, and waits for step 1's prompt. */
    private static void answerTheInputs(Tmux t) throws Exception {
        t.await("the secret prompt", s -> s.contains("Value for token"));
        t.send(SECRET, "Enter");
        t.await("the next input", s -> s.contains("Value for who"));
        t.send("bob", "Enter");
        t.await("step 1's prompt", s -> s.contains("Run step 1/3 first?"));
    }

    private Path log() throws Exception {
        try (var s = Files.list(dir.resolve("logs"))) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        }
    }

    @Test
    void editingHistoryCompletionAndASecretThroughTee() throws Exception {
        try (Tmux t = Tmux.start(dir, script("XDG_STATE_HOME=state XDG_CACHE_HOME=cache"))) {
            answerTheInputs(t);
            t.send("n", "Enter");
            t.await("the note prompt", s -> s.contains("Note:"));
            t.send("restarted web1", "Left", "Left", "X", "Enter"); // "restarted weXb1"
            t.await("step 1's prompt again", s -> s.split("Run step 1/3", -1).length == 3);
            t.send("n", "Enter");
            t.await("a second note prompt", s -> s.split("Note:", -1).length == 3);
            t.send("Up", " again", "Enter"); // ↑ recalls the note, not the "n" of the step prompt
            t.await("step 1's prompt a third time", s -> s.split("Run step 1/3", -1).length == 4);
            t.send("Enter");
            t.await("the choice", s -> s.contains("Choose 1-2"));
            t.send("res", "Tab", "Enter"); // Tab completes the option's label, spaces and all
            t.await("step 3's prompt", s -> s.contains("Run step 3/3 last?"));
            t.send("Enter");
            String screen = t.await("the exit", s -> s.contains("MODE="));

            assertThat(screen).contains("EXIT=0").contains("MODE= echo").doesNotContain(SECRET);
            assertThat(Files.readString(dir.resolve("tee.txt")))
                    .contains("hello", "bye", "RESOLVED")
                    .doesNotContain(SECRET);
            String raw = Files.readString(log());
            assertThat(raw).doesNotContain(SECRET).doesNotContain("\\u001b").doesNotContain("\u001b");
            Events ev = Events.of(log());
            assertThat(ev.ofType("note").stream().map(m -> m.get("text")))
                    .containsExactly("restarted weXb1", "restarted weXb1 again");
            assertThat(ev.ofType("step.finished").stream()
                            .filter(m -> "pick".equals(m.get("step")))
                            .map(m -> (Object) ((Map<?, ?>) m.get("result")).get("choice")))
                    .containsExactly("restart web");
        }
    }

    @Test
    void ctrlCAtAPromptEndsTheRunInterruptedAndPutsTheTerminalBack() throws Exception {
        try (Tmux t = Tmux.start(dir, script("XDG_STATE_HOME=state XDG_CACHE_HOME=cache"))) {
            answerTheInputs(t);
            t.send("half a line", "C-c");
            String screen = t.await("the exit", s -> s.contains("MODE="));
            assertThat(screen).contains("EXIT=130").contains("INTERRUPTED").contains("MODE= echo");
            assertThat(Events.of(log()).outcome()).isEqualTo("interrupted");
        }
    }

    @Test
    void aDumbTerminalGetsPlainLinesNoColoursAndStillNoEchoForASecret() throws Exception {
        try (Tmux t = Tmux.start(dir, script("TERM=dumb XDG_STATE_HOME=state XDG_CACHE_HOME=cache"))) {
            answerTheInputs(t);
            t.send("a", "Enter");
            String screen = t.await("the exit", s -> s.contains("MODE="));
            assertThat(screen).contains("EXIT=1").contains("ABORTED").doesNotContain(SECRET);
            assertThat(t.screen(true)).doesNotContain("\u001b[1m").doesNotContain("\u001b[36m");
        }
    }
}
