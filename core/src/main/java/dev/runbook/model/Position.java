package dev.runbook.model;

/**
 * Where something stands in a source file: 1-based line and column, as printed in
 * {@code PATH:LINE:COLUMN: message} errors (contract, "A runbook file").
 *
 * @param file the file as the user named it (relative paths stay relative)
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
public record Position(String file, int line, int column) {

    /** A position for a whole file, without line. */
    public static Position of(String file) {
        return new Position(file, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
