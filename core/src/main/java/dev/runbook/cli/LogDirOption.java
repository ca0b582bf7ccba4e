package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.load.InvalidException;
import dev.runbook.load.InventoryLoader;
import dev.runbook.lock.RunLock;
import dev.runbook.lock.StoreLock;
import dev.runbook.model.Inventory;
import dev.runbook.store.Store;
import dev.runbook.store.StoreMirror;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the {@code runbook log} subcommands read incidents (a picocli mixin): the log directory
 * ({@code --log-dir}), or the team store (docs/team.md) declared by the inventory's {@code store:},
 * read by default when one is declared and {@code --log-dir} is not given.
 */
public final class LogDirOption {

    @Option(
            names = "--log-dir",
            paramLabel = "DIR",
            description = "Directory of the incident logs (default: $RUNBOOK_LOG_DIR, else ./incidents).")
    Path logDir;

    @Option(
            names = "--store",
            description = "Read the team store the inventory declares (store: in environments.yaml) instead of"
                    + " the log directory; the default when one is declared and --log-dir is not given.")
    boolean useStore;

    @Option(
            names = "--inventory",
            paramLabel = "FILE",
            description = "Inventory file (default: environments.yaml beside the runbook, else in ./runbooks).")
    Path inventory;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private Store store;
    private boolean storeLooked;

    /** The local log directory, per {@link LogDirs#resolve(Path, CommandSpec)}. */
    public Path local() {
        return LogDirs.resolve(logDir, spec);
    }

    /** {@code --inventory}, or null. */
    Path inventory() {
        return inventory;
    }

    /**
     * The team store to read: with {@code --store}, the one the inventory declares (else exit 2);
     * without it, the declared one unless {@code --log-dir} is given.
     *
     * @return the store, or null: read the log directory
     * @throws ExitException 2 when {@code --store} is given and no inventory declares one
     */
    Store store(Terminal terminal) {
        return !useStore && logDir != null ? null : declared(terminal);
    }

    /**
     * The team store the inventory declares ({@code --inventory}, else {@code
     * ./runbooks/environments.yaml}), whatever {@code --log-dir} says.
     *
     * @return the store, or null when none is declared
     * @throws ExitException 2 when {@code --store} is given and no inventory declares one
     */
    Store declared(Terminal terminal) {
        if (storeLooked) {
            return store;
        }
        storeLooked = true;
        Path file = inventory != null ? inventory : Path.of("runbooks").resolve(dev.runbook.load.Library.INVENTORY);
        Inventory inv = null;
        if (inventory != null || Files.isRegularFile(file)) {
            try {
                inv = InventoryLoader.load(file, terminal.env());
            } catch (InvalidException | IOException e) {
                if (useStore || inventory != null) {
                    throw new ExitException(ExitCodes.USAGE, file + ": " + e.getMessage(), e);
                }
            }
        }
        store = TeamStore.of(inv, terminal.env());
        if (store == null && useStore) {
            throw new ExitException(
                    ExitCodes.USAGE,
                    "--store: " + file + " declares no store (store: {url, user, password} beside environments:)");
        }
        return store;
    }

    /**
     * The directory to read incidents from: the local one, or the up-to-date copy of the store's.
     *
     * @throws ExitException 1 when the store cannot be read
     */
    public Path resolve(Terminal terminal) {
        Store s = store(terminal);
        if (s == null) {
            return local();
        }
        Path mirror = StoreMirror.dir(s, terminal.env());
        try (Connection c = s.connect()) {
            StoreMirror.sync(c, mirror, "");
        } catch (SQLException | IOException e) {
            throw new ExitException(
                    ExitCodes.FAILED,
                    "the team store " + s.describe() + " cannot be read: " + e.getMessage()
                            + " (this machine's logs: --log-dir " + local() + ")",
                    e);
        }
        return mirror;
    }

    /**
     * The incidents whose run holds its lock now: in the store (any machine), else runs of this
     * machine on the log directory.
     */
    Set<String> running(Terminal terminal, Path dir) {
        Store s = store(terminal);
        if (s == null) {
            return RunLock.running(dir, RunCommand.localHost(terminal.env()));
        }
        try (Connection c = s.connect()) {
            return StoreLock.running(c);
        } catch (SQLException e) {
            return Set.of();
        }
    }
}
