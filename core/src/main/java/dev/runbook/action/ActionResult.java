package dev.runbook.action;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one attempt of an action gave.
 *
 * @param status how it ended
 * @param fields the result fields of the contract's "Actions" table ({@code exit},
 *     {@code stdout}, {@code status}…), JSON-like values; later steps read them as
 *     {@code steps.<id>.<field>}
 * @param error one line saying why it failed; null when it succeeded
 */
public record ActionResult(Status status, Map<String, Object> fields, String error) {

    /** How an attempt ended. */
    public enum Status {
        /** The action ran and every {@code expect} held. */
        SUCCEEDED,
        /** The action errored or an {@code expect} failed. */
        FAILED,
        /** The attempt passed its timeout. */
        TIMED_OUT
    }

    /** A success with these fields. */
    public static ActionResult ok(Map<String, Object> fields) {
        return new ActionResult(Status.SUCCEEDED, fields, null);
    }

    /** A failure with these fields and a one-line reason. */
    public static ActionResult failed(Map<String, Object> fields, String error) {
        return new ActionResult(Status.FAILED, fields, error);
    }

    /** A timeout with what was gathered before it. */
    public static ActionResult timedOut(Map<String, Object> fields, String error) {
        return new ActionResult(Status.TIMED_OUT, fields, error);
    }

    /** A result with no fields. */
    public static Map<String, Object> newFields() {
        return new LinkedHashMap<>();
    }
}
