package dev.runbook.console;

import java.io.IOException;
import java.util.List;

/**
 * Plain lines: the prompt is printed on standard output and a line is read from standard input,
 * as typed. Used when standard input is not a terminal (nothing is echoed then) and for the
 * tests' scripted input.
 */
public final class PlainPrompter implements Prompter {

    private final Terminal terminal;
    private volatile String waitingPrompt;

    /** @param terminal the streams */
    public PlainPrompter(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public String line(String prompt, PromptKind kind, List<String> completions) {
        synchronized (this) {
            terminal.out().print(prompt);
            terminal.out().flush();
            waitingPrompt = prompt;
        }
        try {
            return terminal.in().readLine();
        } catch (IOException e) {
            return null;
        } finally {
            waitingPrompt = null;
        }
    }

    @Override
    public String secret(String prompt) {
        return line(prompt, PromptKind.CONFIRM, List.of());
    }

    @Override
    public synchronized void above(String text) {
        String prompt = waitingPrompt;
        terminal.out().println(prompt == null ? text : "\n" + text);
        if (prompt != null) {
            terminal.out().print(prompt);
        }
        terminal.out().flush();
    }

    @Override
    public boolean waiting() {
        return waitingPrompt != null;
    }

    @Override
    public void restore() {
        // nothing changed the terminal's modes
    }
}
