package dev.runbook.template;

/** An expression or template that does not parse, or fails to evaluate; the message is one line. */
public class ExpressionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message one line naming the expression and the cause */
    public ExpressionException(String message) {
        super(message);
    }
}
