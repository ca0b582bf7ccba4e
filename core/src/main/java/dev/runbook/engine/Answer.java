package dev.runbook.engine;

/**
 * What the operator answered at a prompt (issue 2, "Interactive mode": {@code [Y,s,n,a,b,?]}
 * before a step, {@code [r,s,a,b,?]} after a failure, a number for {@code choose}).
 *
 * @param kind the choice
 * @param text the note's text (NOTE) or the input's value (VALUE); null otherwise
 * @param option 0-based option of a {@code choose} (OPTION); -1 otherwise
 */
public record Answer(Kind kind, String text, int option) {

    /** The choices an operator has. */
    public enum Kind {
        /** Run the step. */
        RUN,
        /** Mark a manual step done. */
        DONE,
        /** Skip the step and go on. */
        SKIP,
        /** Add a note to the log, then ask again. */
        NOTE,
        /** Stop the run now. */
        ABORT,
        /** Turn to the rollback section. */
        ROLLBACK,
        /** Run the failed step again. */
        RETRY,
        /** Do what the runbook's on_failure says. */
        FOLLOW,
        /** An option of a choose step. */
        OPTION
    }

    /** An answer without text or option. */
    public static Answer of(Kind kind) {
        return new Answer(kind, null, -1);
    }

    /** A note to log. */
    public static Answer note(String text) {
        return new Answer(Kind.NOTE, text, -1);
    }

    /** The option picked in a choose. */
    public static Answer option(int index) {
        return new Answer(Kind.OPTION, null, index);
    }
}
