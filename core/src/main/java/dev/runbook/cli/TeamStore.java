package dev.runbook.cli;

import dev.runbook.approval.ApprovalSource;
import dev.runbook.console.ConsoleOperator;
import dev.runbook.console.TerminalApprovals;
import dev.runbook.engine.Mode;
import dev.runbook.engine.Operator;
import dev.runbook.engine.Plan;
import dev.runbook.journal.JournalWriter;
import dev.runbook.model.Inventory;
import dev.runbook.signing.AllowedSigners;
import dev.runbook.store.Store;
import dev.runbook.store.StoreApprovals;
import dev.runbook.store.StoreReplica;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The team store of a command (docs/team.md): found in the inventory, and a run's log copied to it. */
final class TeamStore {

    /** How long a closing run waits for the store to take its last events, in ms. */
    static final long FLUSH_MS = 5_000;

    private TeamStore() {}

    /**
     * The store the inventory declares.
     *
     * @param inv the inventory, or null
     * @param env the process environment (the password's variable)
     * @return the store, or null when none is declared
     * @throws ExitException 2 when its password variable is not set
     */
    static Store of(Inventory inv, Map<String, String> env) {
        if (inv == null || inv.store() == null) {
            return null;
        }
        try {
            return Store.of(inv.store(), env);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, inv.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a run's approvals arrive (docs/team.md, "Approvals"): the team store when one is
     * declared; else the runner's terminal in an interactive run; else nowhere (a step that needs
     * approval then fails).
     */
    static ApprovalSource approvals(Team team, Plan plan, Operator op, Map<String, String> env) {
        if (team.store() != null) {
            return new StoreApprovals(team.store());
        }
        if (plan.mode() == Mode.INTERACTIVE && op instanceof ConsoleOperator console) {
            return new TerminalApprovals(console, env);
        }
        return null;
    }

    /**
     * The allowed_signers file approvers are checked against: {@code --allowed-signers}, else
     * {@code allowed_signers} at the library's root.
     *
     * @return it, or null when there is none
     * @throws ExitException 2 when a given file cannot be read
     */
    static AllowedSigners signers(Path explicit, Path library) {
        Path file = explicit != null ? explicit : library.resolve("allowed_signers");
        if (explicit == null && !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return AllowedSigners.read(file);
        } catch (IOException e) {
            throw new ExitException(
                    ExitCodes.USAGE, file + ": cannot read the allowed_signers file: " + e.getMessage(), e);
        }
    }

    /**
     * Starts copying a log to the store: what it holds now, then each event once it is on disk.
     *
     * @param store the store, or null (then nothing)
     * @return the replica, or null without a store
     */
    static StoreReplica replicate(Store store, JournalWriter journal, Operator op) throws IOException {
        if (store == null) {
            return null;
        }
        StoreReplica replica = new StoreReplica(store, op::info);
        journal.replicate(replica::add);
        return replica;
    }

    /**
     * Ends a run's copy: waits up to {@link #FLUSH_MS} for the last events, records the signature
     * when the log was signed, and says how far behind the store is when it could not take them.
     */
    static void finish(StoreReplica replica, Path log, String incident, Operator op) {
        if (replica == null) {
            return;
        }
        int left = replica.finish(FLUSH_MS);
        if (left > 0) {
            op.info("store: " + left + " event(s) behind (" + replica.lastError() + "): the local log has them;"
                    + " send them with 'runbook log push " + incident + " --inventory FILE'");
        } else {
            Path sig = log.resolveSibling(log.getFileName() + ".sig");
            if (Files.exists(sig)) {
                try {
                    if (!replica.signature(incident, Files.readString(sig, StandardCharsets.US_ASCII))) {
                        op.info("store: the signature was not recorded (" + replica.lastError()
                                + "): 'runbook log push " + incident + "' records it");
                    }
                } catch (IOException e) {
                    op.info("store: cannot read " + sig + ": " + e.getMessage());
                }
            }
        }
        replica.close();
    }
}
