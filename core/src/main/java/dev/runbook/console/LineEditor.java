package dev.runbook.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Sized;
import org.jline.terminal.TerminalBuilder;

/**
 * Prompts on a real terminal through JLine 3's line editor: cursor keys, Ctrl-A/E/W…, a history
 * per {@link PromptKind} (in memory), Tab completion, no echo for secrets. The terminal is opened
 * at the first prompt, never before (start-up time).
 *
 * <p>Rules kept from a plain read: what is typed is returned as is (no {@code !} history
 * expansion, an unclosed quote or a trailing backslash ends the line like any other character);
 * Ctrl-D on an empty line is the end of input; Ctrl-C is the same as SIGINT at a prompt
 * (contract, "Exit codes": the run ends {@code interrupted}, 130), which the raw mode of the line
 * editor would otherwise swallow: the signal is raised again for the process. With {@code
 * TERM=dumb} (Emacs shells) lines are read as typed, without editing; secrets are still read with
 * echo off. When standard output is a pipe ({@code | tee walk.txt}) the prompt goes to the
 * terminal (standard error, else {@code /dev/tty}), like OpenSSH's password prompt.
 */
public final class LineEditor implements Prompter {

    /** How long a raised Ctrl-C may take to end the process before the prompt gives up (ms). */
    private static final long SIGNAL_WAIT_MS = 10_000;

    /** The size given to a terminal that reports none (0x0): a VT100's, as terminfo's default. */
    private static final int UNSIZED_COLUMNS = 80;

    private static final int UNSIZED_ROWS = 24;

    private final Terminal terminal;
    private final boolean dumb;
    private final PlainPrompter plain;
    private org.jline.terminal.Terminal tty;
    private Attributes found;
    private final Map<PromptKind, LineReader> readers = new EnumMap<>(PromptKind.class);
    private volatile List<String> completions = List.of();
    private volatile LineReader reading;
    private volatile boolean waiting;

    /**
     * @param terminal this process's terminal
     * @param dumb true with {@code TERM=dumb}: plain lines, no editing
     */
    LineEditor(Terminal terminal, boolean dumb) {
        this.terminal = terminal;
        this.dumb = dumb;
        this.plain = new PlainPrompter(terminal);
    }

    /** A line editor over a given JLine terminal (tests drive one over pipes). */
    LineEditor(Terminal terminal, org.jline.terminal.Terminal tty) {
        this(terminal, false);
        this.tty = tty;
        this.found = tty.getAttributes();
    }

    /** JLine's own logger (java.util.logging), kept so its level holds: its notices are not the operator's business. */
    private static final java.util.logging.Logger JLINE_LOG = java.util.logging.Logger.getLogger("org.jline");

    private synchronized org.jline.terminal.Terminal tty() {
        if (tty == null) {
            JLINE_LOG.setLevel(java.util.logging.Level.SEVERE);
            try {
                TerminalBuilder b = TerminalBuilder.builder();
                if (dumb) {
                    // JLine opens no real terminal for TERM=dumb; only the modes (echo off) are used
                    // then, nothing is drawn, so any plain type serves
                    b.type("vt100");
                }
                tty = b.system(true)
                        .jni(false) // no native library to unpack; stty does the job
                        .ffm(false)
                        .exec(true)
                        .dumb(true)
                        .devTty(true)
                        .nativeSignals(false) // the run's own handlers stay in place (Interrupts)
                        .systemOutput(TerminalBuilder.SystemOutput.SysOutOrSysErr)
                        .build();
                found = tty.getAttributes();
                if (tty.getColumns() <= 0) {
                    // a pseudo-terminal nobody sized (util-linux script under cron or CI, expect):
                    // the editor would draw its prompt in zero columns, so it gets the VT100's 80x24
                    tty.setSize((Sized) Size.of(UNSIZED_COLUMNS, UNSIZED_ROWS));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
            }
        }
        return tty;
    }

    private boolean editing() {
        if (dumb) {
            return false;
        }
        org.jline.terminal.Terminal t = tty();
        return !(t instanceof org.jline.terminal.impl.DumbTerminal)
                && !t.getType().startsWith(org.jline.terminal.Terminal.TYPE_DUMB);
    }

    private synchronized LineReader reader(PromptKind kind) {
        return readers.computeIfAbsent(kind, k -> {
            LineReaderBuilder b = LineReaderBuilder.builder()
                    .terminal(tty())
                    .appName("runbook")
                    .parser(parser(k))
                    .history(new DefaultHistory())
                    // a note goes on after a completed step id; a whole answer ends there
                    .completer((r, line, candidates) -> completions.forEach(
                            c -> candidates.add(new Candidate(c, c, null, null, null, null, k == PromptKind.NOTE))))
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .option(LineReader.Option.BRACKETED_PASTE, true)
                    .option(LineReader.Option.AUTO_FRESH_LINE, false)
                    .variable(LineReader.HISTORY_FILE, null)
                    .variable(LineReader.HISTORY_SIZE, 200);
            if (!k.history()) {
                b.variable(LineReader.DISABLE_HISTORY, true);
            }
            return b.build();
        });
    }

    /**
     * How a line is cut for completion, never for its value: a note completes the word under the
     * cursor (a step id), every other answer is one word, the whole line (an option's label may
     * hold spaces). No quote nor escape character has a meaning, and no line is ever incomplete.
     */
    private static Parser parser(PromptKind kind) {
        if (kind == PromptKind.NOTE) {
            DefaultParser words = new DefaultParser();
            words.setQuoteChars(new char[0]);
            words.setEscapeChars(new char[0]);
            words.setEofOnUnclosedQuote(false);
            words.setEofOnEscapedNewLine(false);
            words.setEofOnUnclosedBracket();
            return words;
        }
        return (line, cursor, context) -> new WholeLine(line, cursor);
    }

    /** The whole line as the one word being completed; candidates are inserted as they are. */
    private record WholeLine(String line, int cursor) implements CompletingParsedLine {
        @Override
        public String word() {
            return line;
        }

        @Override
        public int wordCursor() {
            return cursor;
        }

        @Override
        public int wordIndex() {
            return 0;
        }

        @Override
        public List<String> words() {
            return List.of(line);
        }

        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return candidate;
        }

        @Override
        public int rawWordCursor() {
            return cursor;
        }

        @Override
        public int rawWordLength() {
            return line.length();
        }
    }

    @Override
    public String line(String prompt, PromptKind kind, List<String> completions) {
        terminal.out().flush();
        if (!editing()) {
            return plain.line(prompt, kind, completions);
        }
        this.completions = List.copyOf(completions);
        return read(reader(kind), prompt, null);
    }

    @Override
    public String secret(String prompt) {
        terminal.out().flush();
        if (!editing()) {
            return echoOff(prompt);
        }
        return read(reader(PromptKind.CONFIRM), prompt, (char) 0); // mask 0: nothing is echoed
    }

    private String read(LineReader r, String prompt, Character mask) {
        reading = r;
        waiting = true;
        try {
            return r.readLine(prompt, mask);
        } catch (EndOfFileException e) {
            return null;
        } catch (UserInterruptException e) {
            return interrupted();
        } finally {
            reading = null;
            waiting = false;
        }
    }

    /**
     * Ctrl-C was typed at the prompt: SIGINT is raised for the process, whose handler ends the
     * run (the prompt still counts as waiting, so it does at once). Returns null (end of input)
     * only if nothing ended the process.
     */
    private String interrupted() {
        if (Signals.raise("INT")) {
            // the handler stops the run, which interrupts this thread too: keep waiting for the halt
            boolean interrupted = false;
            long end = System.nanoTime() + SIGNAL_WAIT_MS * 1_000_000;
            for (long left = SIGNAL_WAIT_MS; left > 0; left = (end - System.nanoTime()) / 1_000_000) {
                try {
                    Thread.sleep(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }

    /** A secret on a terminal without line editing: echo off (termios), one line, echo back on. */
    private String echoOff(String prompt) {
        org.jline.terminal.Terminal t = tty();
        Attributes before = t.getAttributes();
        Attributes quiet = new Attributes(before);
        quiet.setLocalFlag(Attributes.LocalFlag.ECHO, false);
        t.setAttributes(quiet);
        try {
            t.writer().print(prompt);
            t.writer().flush();
            waiting = true;
            return terminal.in().readLine();
        } catch (IOException e) {
            return null;
        } finally {
            waiting = false;
            t.setAttributes(before);
            t.writer().println();
            t.writer().flush();
        }
    }

    @Override
    public void above(String text) {
        LineReader r = reading;
        if (r != null) {
            r.printAbove(text);
        } else {
            plain.above(text);
        }
    }

    @Override
    public boolean waiting() {
        return waiting || plain.waiting();
    }

    @Override
    public void restore() {
        org.jline.terminal.Terminal t;
        Attributes a;
        synchronized (this) {
            t = tty;
            a = found;
        }
        if (t != null && a != null) {
            try {
                t.setAttributes(a);
                t.writer().flush();
            } catch (IllegalStateException e) {
                // closed already: JLine put the modes back when it closed it (its shutdown hook)
            }
        }
    }
}
