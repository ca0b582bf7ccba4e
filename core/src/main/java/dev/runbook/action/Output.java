package dev.runbook.action;

/**
 * Where an action sends what the operator should see live (command output, progress).
 * Implementations mask secrets; actions never print directly.
 */
public interface Output {

    /**
     * One line of live output.
     *
     * @param source where it comes from: {@code stdout}, {@code stderr}, or a host name
     * @param line the line, without its newline
     */
    void line(String source, String line);

    /** A transient status (a countdown), replaced by the next one on a terminal. */
    void progress(String text);

    /** An output that shows nothing. */
    Output NONE = new Output() {
        @Override
        public void line(String source, String line) {}

        @Override
        public void progress(String text) {}
    };
}
