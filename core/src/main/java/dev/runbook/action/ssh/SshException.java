package dev.runbook.action.ssh;

/** An SSH failure with a one-line message for the operator (it names the host). */
public final class SshException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message one line, naming the host */
    public SshException(String message) {
        super(message);
    }

    /**
     * @param message one line, naming the host
     * @param cause the underlying JSch or IO error
     */
    public SshException(String message, Throwable cause) {
        super(message, cause);
    }
}
