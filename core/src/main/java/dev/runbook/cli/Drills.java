package dev.runbook.cli;

import java.util.Locale;

/**
 * What the core knows of drills, which the sandbox module runs ({@code runbook drill}): where
 * their logs go and the secrets they are given, so that {@code resume}, child incidents and
 * {@code log stats} treat a drill's log the same way without the sandbox installed.
 */
public final class Drills {

    /** The sub-directory of the log directory that holds drill logs. */
    public static final String DRILLS = "drills";

    /**
     * Given as PGPASSWORD to runbooks that declare it. The sandbox's PostgreSQL trusts loopback
     * clients, so any value works; a distinctive one keeps the masker from hiding every
     * "postgres" in URLs and output.
     */
    public static final String SANDBOX_PGPASSWORD = "sandbox-pgpassword";

    private Drills() {}

    /**
     * The value a drill gives a declared secret.
     *
     * @param name the secret's name, as the runbook declares it
     * @return {@link #SANDBOX_PGPASSWORD} for PGPASSWORD, else {@code sandbox-} and the name in
     *     lower case (at least 6 characters, distinctive enough for the masker)
     */
    public static String sandboxSecret(String name) {
        return name.equals("PGPASSWORD") ? SANDBOX_PGPASSWORD : "sandbox-" + name.toLowerCase(Locale.ROOT);
    }
}
