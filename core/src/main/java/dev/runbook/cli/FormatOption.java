package dev.runbook.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --format} option of the listing commands (a picocli mixin): {@code text} for people,
 * {@code json} (one JSON document: an array of objects) and {@code jsonl} (one object per line,
 * for long lists and streaming to {@code jq -c}) for scripts. A command that also has a Markdown
 * form says so in its own help.
 */
public final class FormatOption {

    /** An output format. */
    public enum Format {
        /** Aligned columns for a terminal. */
        TEXT,
        /** A Markdown table ({@code list} only). */
        MARKDOWN,
        /** One JSON document. */
        JSON,
        /** One JSON object per line (JSON Lines). */
        JSONL
    }

    /** Made on first use: the option is built for every command, also on the --version path. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            converter = FormatConverter.class,
            description = "text (default), json (one document) or jsonl (one object per line).")
    Format format = Format.TEXT;

    /** The format asked for. */
    public Format format() {
        return format;
    }

    /** True for json and jsonl. */
    public boolean machine() {
        return format == Format.JSON || format == Format.JSONL;
    }

    /**
     * Prints rows as one JSON array ({@code json}) or one object per line ({@code jsonl}).
     *
     * @param rows each a map of JSON-serialisable values (strings, numbers, booleans, lists, maps, null)
     */
    public void print(PrintWriter out, List<? extends Map<String, ?>> rows) {
        if (format == Format.JSONL) {
            rows.forEach(r -> out.println(json(r, false)));
            out.flush();
        } else {
            printDocument(out, rows);
        }
    }

    /**
     * Prints one JSON document, pretty-printed.
     *
     * @param document a map or a list of JSON-serialisable values
     */
    public void printDocument(PrintWriter out, Object document) {
        out.println(json(document, true));
        out.flush();
    }

    private static String json(Object value, boolean pretty) {
        try {
            return pretty
                    ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value)
                    : Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ExitException(ExitCodes.INTERNAL, "cannot write JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a format the command does not have.
     *
     * @throws ExitException 2 naming the formats it has
     */
    public void require(Format... allowed) {
        for (Format f : allowed) {
            if (f == format) {
                return;
            }
        }
        throw new ExitException(
                ExitCodes.USAGE,
                "--format " + format.name().toLowerCase(Locale.ROOT) + " is not available here ("
                        + LowercaseEnum.names(allowed) + ")");
    }

    /** {@code --format} in lower case, with the formats listed on a miss. */
    static final class FormatConverter extends LowercaseEnum<Format> {
        FormatConverter() {
            super(Format.class, "format");
        }
    }
}
