package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.schema.JsonSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook schema runbook|inventory}: prints the JSON Schema (draft 2020-12) of a runbook
 * file or of an inventory, made from the loader's own definitions ({@link JsonSchema}).
 */
@Command(
        name = "schema",
        header = "Print the JSON Schema of runbooks or of environments.yaml (for editors).",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Print the JSON Schema (draft 2020-12) of a runbook file or of an inventory, made from",
            "the same definitions `runbook validate` checks against. Editors with the YAML language",
            "server (VS Code's YAML extension, Neovim, Helix…) validate and complete a file whose",
            "first line names it:",
            "",
            "  runbook schema runbook > schema/runbook.schema.json",
            "  # yaml-language-server: $schema=../schema/runbook.schema.json",
            "",
            "The release ships both files in schema/; the library's files name them already."
        })
public final class SchemaCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DOCUMENT", description = "runbook or inventory.", converter = DocumentConverter.class)
    JsonSchema.Document document;

    private final Terminal terminal;

    /** @param terminal where the schema is printed */
    public SchemaCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        terminal.out().print(JsonSchema.text(document));
        terminal.out().flush();
        return ExitCodes.OK;
    }

    static final class DocumentConverter extends LowercaseEnum<JsonSchema.Document> {
        DocumentConverter() {
            super(JsonSchema.Document.class, "document");
        }
    }
}
