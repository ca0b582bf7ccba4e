package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.load.InvalidException;
import dev.runbook.load.InventoryLoader;
import dev.runbook.model.Inventory;
import dev.runbook.model.Runbook;
import java.io.IOException;
import java.nio.file.Path;

/** Loads the inventory a command needs, turning problems into one-line exits (code 2). */
final class InventoryFiles {

    private InventoryFiles() {}

    /**
     * The inventory for a runbook: {@code --inventory}, else beside the runbook, else in the
     * library root (contract, "Environments (inventory)").
     *
     * @param explicit {@code --inventory}, or null
     * @param rb the runbook
     * @param dir the library ({@code --dir})
     * @param terminal where each validation problem is printed, and the environment the file is
     *     checked in
     * @return the inventory, or null when there is no file
     * @throws ExitException 2 when the file is invalid or unreadable
     */
    static Inventory load(Path explicit, Runbook rb, Path dir, Terminal terminal) {
        return load(explicit, Path.of(rb.source().path()), dir, terminal);
    }

    /**
     * The inventory for a runbook file: {@code --inventory}, else beside the file, else in the
     * library root.
     *
     * @param runbookFile the runbook's path (it need not exist any more)
     * @param terminal where problems are printed, and the environment the file is checked in
     * @return the inventory, or null when there is no file
     * @throws ExitException 2 when the file is invalid or unreadable
     */
    static Inventory load(Path explicit, Path runbookFile, Path dir, Terminal terminal) {
        Path file = InventoryLoader.find(explicit, runbookFile, dir).orElse(null);
        if (file == null) {
            return null;
        }
        try {
            return InventoryLoader.load(file, terminal.env());
        } catch (InvalidException e) {
            e.problems().forEach(terminal.err()::println);
            terminal.err().flush();
            throw new ExitException(
                    ExitCodes.USAGE,
                    file + " is invalid (" + e.problems().size() + " problem(s) above): nothing was run");
        } catch (IOException e) {
            throw new ExitException(ExitCodes.USAGE, file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
