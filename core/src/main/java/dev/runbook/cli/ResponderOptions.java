package dev.runbook.cli;

import dev.runbook.lock.ResponderLock;
import dev.runbook.lock.RunLock;
import dev.runbook.store.Store;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of a responder's run that {@code runbook run} and {@code runbook resume} share (a
 * picocli mixin): who runs it, the key that signs its log, and taking the (runbook, environment)
 * lock (docs/format.md, "One responder at a time").
 */
public final class ResponderOptions {

    @Option(
            names = "--operator",
            paramLabel = "NAME",
            description =
                    "Who runs it (default: $RUNBOOK_OPERATOR, else operator: of the config, else the sudo caller, else the OS user).")
    String operator;

    @Option(
            names = "--signing-key",
            paramLabel = "FILE",
            description = "SSH private key that signs the closed log (<log>.sig, SSHSIG namespace runbook-incident);"
                    + " default: $RUNBOOK_SIGNING_KEY, else the first key of ssh-agent; none: the log is unsigned.")
    Path signingKey;

    @Option(
            names = "--steal-lock",
            description = "Run even when another run of this runbook holds the environment's lock (recorded in the"
                    + " log, with whom it was taken from).")
    boolean stealLock;

    @Option(
            names = "--allowed-signers",
            paramLabel = "FILE",
            description = "OpenSSH allowed_signers file of the approvers (principals: the person, then their roles);"
                    + " default: allowed_signers in the library (--dir). See docs/team.md.")
    Path allowedSigners;

    /** The allowed_signers approvers are checked against, or null when there is none. */
    dev.runbook.signing.AllowedSigners signers(Path library) {
        return TeamStore.signers(allowedSigners, library);
    }

    /**
     * {@code --operator}, whose default is the config's operator ({@link ConfiguredDefaults}:
     * RUNBOOK_OPERATOR, the file, SUDO_USER, then the OS user).
     */
    public String operator() {
        return operator;
    }

    /** {@code --signing-key}, or null. */
    public Path signingKey() {
        return signingKey;
    }

    /**
     * Takes the (runbook, environment) lock.
     *
     * @param runbook the runbook id
     * @param env the environment, or null
     * @param logDir the log directory (the lock lives in its {@code locks/})
     * @param host this machine's name
     * @param store the team store, or null: with one, the lock is also the store's advisory lock
     *     (docs/team.md), so it holds across machines
     * @param lost told when the store's lock connection is lost
     * @throws ExitException 2 when another run holds it (the line names the holder and what to do);
     *     1 when the lock file cannot be written or the store cannot be reached
     */
    ResponderLock lock(
            String runbook,
            String env,
            Path logDir,
            String host,
            Store store,
            java.util.function.Consumer<String> lost) {
        try {
            return ResponderLock.acquire(store, logDir, runbook, env, operator(), host, stealLock, lost);
        } catch (RunLock.HeldException e) {
            String id = e.holder().incident();
            throw new ExitException(
                    ExitCodes.USAGE,
                    e.getMessage() + ": one responder at a time. "
                            + (id == null
                                    ? ""
                                    : "Watch it with 'runbook log follow " + id
                                            + (store == null ? " --log-dir " + logDir : " --store")
                                            + "'; once it is gone, continue it with 'runbook resume " + id
                                            + "'; ")
                            + "or take over now with --steal-lock (recorded in the log)");
        } catch (java.io.IOException e) {
            throw new ExitException(
                    ExitCodes.FAILED,
                    "cannot lock " + runbook + (store == null ? " in " + logDir : "") + ": " + e.getMessage(),
                    e);
        }
    }
}
