package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.store.Store;
import java.util.concurrent.Callable;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code runbook store init}: creates or migrates the store's schema with Flyway, idempotently. */
@Command(
        name = "init",
        header = "Create or migrate the store's schema (runbook), idempotently.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Create the schema 'runbook' of the store the inventory declares and its tables, or migrate",
            "them to this version (Flyway; its history is runbook.flyway_schema_history). Running it",
            "again changes nothing. The role needs CREATE on the database the first time (docs/team.md)."
        },
        footer = {
            "",
            "Examples:",
            "  runbook store init --inventory runbooks/environments.yaml",
            "",
            "Exit codes: 0 the schema is up to date, 1 the store refused or cannot be reached, 2 usage error."
        })
public final class StoreInitCommand implements Callable<Integer> {

    @Mixin
    LogDirOption source;

    private final Terminal terminal;

    /** @param terminal where the result is printed */
    public StoreInitCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        source.useStore = true;
        Store store = source.declared(terminal);
        MigrateResult r;
        try {
            r = store.init();
        } catch (FlywayException e) {
            throw new ExitException(
                    ExitCodes.FAILED,
                    "the team store " + store.describe() + ": "
                            + e.getMessage().strip().lines().findFirst().orElse(""),
                    e);
        }
        String version = r.targetSchemaVersion != null ? r.targetSchemaVersion : r.initialSchemaVersion;
        terminal.out()
                .println(
                        r.migrationsExecuted == 0
                                ? "store " + store.describe() + ": schema runbook is up to date (version " + version
                                        + ")"
                                : "store " + store.describe() + ": schema runbook migrated "
                                        + (r.initialSchemaVersion == null
                                                ? "from nothing"
                                                : "from " + r.initialSchemaVersion)
                                        + " to version " + version + " (" + r.migrationsExecuted + " migration(s))");
        terminal.out().flush();
        return ExitCodes.OK;
    }
}
