package dev.runbook.cli;

import java.util.Locale;
import picocli.CommandLine;

/**
 * A picocli converter of an enum option written in lower case ({@code --format jsonl},
 * {@code completion zsh}), case-insensitive, whose error lists the choices:
 * {@code unknown format 'yaml' (text, markdown, json or jsonl)}.
 *
 * @param <E> the enum
 */
abstract class LowercaseEnum<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {

    private final Class<E> type;
    private final String what;

    /**
     * @param type the enum
     * @param what what a value is, for the error ("format", "shell")
     */
    LowercaseEnum(Class<E> type, String what) {
        this.type = type;
        this.what = what;
    }

    @Override
    public E convert(String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(
                    "unknown " + what + " '" + value + "' (" + names(type.getEnumConstants()) + ")");
        }
    }

    /** {@code a, b or c}: the constants' lower-case names. */
    @SafeVarargs
    static <E extends Enum<E>> String names(E... values) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ")
                    .append(values[i].name().toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }
}
