package dev.runbook.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The line editor's rules, in-process over a JLine terminal on pipes (an xterm): what is typed
 * comes back as typed, each prompt kind has its own history and the confirming kinds none, Tab
 * completes, a secret is never echoed, Ctrl-D is the end of input.
 */
class LineEditorTest {

    private PipedOutputStream keys;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private org.jline.terminal.Terminal tty;
    private LineEditor editor;

    @BeforeEach
    void open() throws Exception {
        keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 4096);
        tty = TerminalBuilder.builder()
                .system(false)
                .streams(in, screen)
                .type("xterm")
                .build();
        Terminal streams = new Terminal(
                new BufferedReader(new StringReader("")),
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()),
                true,
                Map.of(),
                true);
        editor = new LineEditor(streams, tty);
    }

    @AfterEach
    void close() throws Exception {
        tty.close();
    }

    private void type(String s) throws Exception {
        keys.write(s.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    // what an xterm sends for the arrows once JLine has switched its keypad to application mode
    private static final String UP = "\u001bOA";
    private static final String LEFT = "\u001bOD";

    @Test
    void whatIsTypedComesBackAsTypedWithEditsApplied() throws Exception {
        type("restarted web1" + LEFT + LEFT + "X\r");
        assertThat(editor.line("Note: ", PromptKind.NOTE, List.of())).isEqualTo("restarted weXb1");
        // no history expansion, no continuation for a quote or a trailing backslash
        type("it's !! done \\\r");
        assertThat(editor.line("Note: ", PromptKind.NOTE, List.of())).isEqualTo("it's !! done \\");
        type("\u0004"); // Ctrl-D on an empty line
        assertThat(editor.line("Note: ", PromptKind.NOTE, List.of())).isNull();
    }

    @Test
    void eachKindHasItsOwnHistoryAndAConfirmationHasNone() throws Exception {
        type("first note\r");
        editor.line("Note: ", PromptKind.NOTE, List.of());
        type("s\r");
        editor.line("Run? ", PromptKind.ANSWER, List.of());
        type(UP + "\r");
        assertThat(editor.line("Note: ", PromptKind.NOTE, List.of())).isEqualTo("first note");
        type(UP + "\r");
        assertThat(editor.line("Run? ", PromptKind.ANSWER, List.of())).isEqualTo("s");
        type("DROP\r");
        editor.line("Type 'DROP': ", PromptKind.CONFIRM, List.of());
        type(UP + "\r");
        assertThat(editor.line("Type 'DROP': ", PromptKind.CONFIRM, List.of())).isEmpty();
    }

    @Test
    void tabCompletesAWholeLabelOrAStepIdInANote() throws Exception {
        type("res\t\r");
        assertThat(editor.line("Choose: ", PromptKind.CHOICE, List.of("restart web", "nothing")))
                .isEqualTo("restart web");
        type("see check_h\t\r");
        assertThat(editor.line("Note: ", PromptKind.NOTE, List.of("check_health", "restart")))
                .isEqualTo("see check_health ");
    }

    /**
     * Asks a secret and types {@code keys} once its prompt is on the screen (the line editor's
     * raw mode is on): what is typed ahead of a prompt is echoed by any terminal, as a real one does.
     */
    private String secretTyped(String keys, int promptsBefore) throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> got = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> got.set(editor.secret("Token: ")));
        t.start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (screen.toString(StandardCharsets.UTF_8).split("Token: ", -1).length <= promptsBefore + 1
                && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        type(keys);
        t.join(10_000);
        return got.get();
    }

    @Test
    void aSecretIsNeverEchoedNorRecalled() throws Exception {
        assertThat(secretTyped("hunter2-secret\r", 0)).isEqualTo("hunter2-secret");
        assertThat(secretTyped(UP + "\r", 1)).isEmpty();
        assertThat(screen.toString(StandardCharsets.UTF_8)).contains("Token: ").doesNotContain("hunter2");
    }

    @Test
    void aBannerGoesAboveAWaitingPrompt() throws Exception {
        Thread t = new Thread(() -> editor.line("Run step 1/2? ", PromptKind.ANSWER, List.of()));
        t.start();
        long end = System.nanoTime() + 10_000_000_000L;
        while (!editor.waiting() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(editor.waiting()).isTrue();
        editor.above("▶▶ SLA respond breached");
        type("y\r");
        t.join(10_000);
        assertThat(editor.waiting()).isFalse();
        String out = screen.toString(StandardCharsets.UTF_8);
        assertThat(out.lastIndexOf("Run step 1/2?")).isGreaterThan(out.indexOf("▶▶ SLA respond breached"));
    }
}
