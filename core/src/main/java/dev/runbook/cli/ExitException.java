package dev.runbook.cli;

/**
 * Ends a command with an exit code and one line for the operator (printed by {@link Cli}
 * as {@code runbook: <message>}, without a stack trace unless {@code --stacktrace}).
 */
public class ExitException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final int code;

    /**
     * @param code one of {@link ExitCodes}
     * @param message one line
     */
    public ExitException(int code, String message) {
        super(message);
        this.code = code;
    }

    /** @param cause kept for {@code --stacktrace} */
    public ExitException(int code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The exit code. */
    public int code() {
        return code;
    }
}
