package dev.runbook.engine;

/**
 * Where the walk goes after a step.
 *
 * @param kind what to do
 * @param target the step id of a GOTO, or the reason of a ROLLBACK
 */
record Flow(Kind kind, String target) {

    enum Kind {
        NEXT,
        END,
        GOTO,
        ABORT,
        FAIL,
        ROLLBACK
    }

    static final Flow NEXT = new Flow(Kind.NEXT, null);
    static final Flow END = new Flow(Kind.END, null);
    static final Flow ABORT = new Flow(Kind.ABORT, null);
    static final Flow FAIL = new Flow(Kind.FAIL, null);

    static Flow to(String stepId) {
        return new Flow(Kind.GOTO, stepId);
    }

    static Flow rollback(String reason) {
        return new Flow(Kind.ROLLBACK, reason);
    }
}
