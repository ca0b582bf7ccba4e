package dev.runbook.console;

/**
 * What a prompt asks for. Each kind keeps its own line history (↑ at a note prompt recalls
 * earlier notes, not step answers); the kinds whose answer must be typed afresh keep none.
 */
public enum PromptKind {
    /** A step's key: run, skip, note, abort, rollback ({@code [Y,s,n,a,b,?]}), also after a failure. */
    ANSWER(true),
    /** A note for the incident log. */
    NOTE(true),
    /** The option of a {@code choose} step. */
    CHOICE(true),
    /** The value of a runbook input that is not secret. */
    INPUT(true),
    /** A word typed to confirm a dangerous step or a signature: never recalled from history. */
    CONFIRM(false),
    /** Whether to trust a host key: never recalled from history. */
    HOST_KEY(false),
    /** An approver's decision or key file at the runner's terminal. */
    APPROVAL(false);

    private final boolean history;

    PromptKind(boolean history) {
        this.history = history;
    }

    /** True when answers of this kind are kept for ↑ (in memory, for this process only). */
    public boolean history() {
        return history;
    }
}
