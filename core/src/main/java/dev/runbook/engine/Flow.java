package dev.runbook.engine;

/** Where the walk goes after a step. */
sealed interface Flow {

    /** The next step. */
    record Next() implements Flow {}

    /** The walk reached its end. */
    record End() implements Flow {}

    /**
     * Another step of the main section.
     *
     * @param step its id
     */
    record Goto(String step) implements Flow {}

    /** The operator aborted. */
    record Aborted() implements Flow {}

    /** A step failed and the runbook (or a failing rollback) ends the run {@code failed}. */
    record Failed() implements Flow {}

    /**
     * Turn to the rollback section.
     *
     * @param reason why, as logged in {@code rollback.started}
     */
    record Rollback(String reason) implements Flow {}

    /** {@link Next}. */
    Flow NEXT = new Next();
    /** {@link End}. */
    Flow END = new End();
    /** {@link Aborted}. */
    Flow ABORT = new Aborted();
    /** {@link Failed}. */
    Flow FAIL = new Failed();
}
