package dev.runbook.console;

import java.util.List;

/**
 * How the operator's answers are read: with a line editor on a real terminal ({@link
 * LineEditor}, JLine), as plain lines elsewhere ({@link PlainPrompter}: a pipe, a file, {@code
 * TERM=dumb}, the tests' scripted input).
 */
public sealed interface Prompter permits PlainPrompter, LineEditor {

    /**
     * Shows {@code prompt} and reads one line.
     *
     * @param prompt the question (may hold ANSI styles)
     * @param kind what it asks for: its history
     * @param completions what Tab completes (step ids, options); may be empty
     * @return the line as typed, without its end of line; null at end of input (Ctrl-D, a closed pipe)
     */
    String line(String prompt, PromptKind kind, List<String> completions);

    /**
     * Shows {@code prompt} and reads one line that is never echoed nor kept in a history, whatever
     * standard output is (a pipe to {@code tee} included).
     *
     * @return the line, null at end of input
     */
    String secret(String prompt);

    /**
     * Prints a line while a prompt may be waiting (a banner from the clock): above the prompt,
     * which is shown again with what was typed so far.
     *
     * @param text one line, already masked
     */
    void above(String text);

    /** True while a prompt waits for the operator. */
    boolean waiting();

    /** Puts the terminal back in the mode it was found in (the JVM is about to halt during a prompt). */
    void restore();

    /**
     * The prompter for a terminal: the line editor when it is this process's own terminal and
     * standard input is a terminal; plain lines otherwise.
     */
    static Prompter of(Terminal terminal) {
        return terminal == Terminal.system() && terminal.interactive()
                ? new LineEditor(terminal, Terminal.dumb(terminal.env()))
                : new PlainPrompter(terminal);
    }
}
