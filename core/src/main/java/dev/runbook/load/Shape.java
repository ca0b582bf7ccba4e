package dev.runbook.load;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a YAML value in a runbook or an inventory: what the loader accepts (the keys of
 * each map, which are required, the scalar kinds, the short forms). The loader takes its key sets
 * from these shapes ({@link Shapes}), and {@code runbook schema} turns the same shapes into a JSON
 * Schema, so the two cannot drift.
 */
public sealed interface Shape {

    /** What it means, for an editor's hover text; may be null. */
    String description();

    /** What kind of scalar a {@link Scalar} is, as the loader reads it (a YAML scalar, read as text). */
    enum Kind {
        /** Any scalar, read as text (a number or {@code true} too). */
        TEXT,
        /** A whole number ({@code 3} or {@code "3"}). */
        INTEGER,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A duration: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 2h}, or a sum such as {@code 1h30m}. */
        DURATION,
        /** One of a fixed set of words. */
        ENUM
    }

    /**
     * A scalar.
     *
     * @param values the words of an {@link Kind#ENUM}; empty otherwise
     */
    record Scalar(Kind kind, String description, List<String> values) implements Shape {}

    /**
     * A list.
     *
     * @param single true when one item alone is accepted in place of the list
     */
    record ListOf(Shape item, boolean single, String description) implements Shape {}

    /** A map from names the author chooses (variables, hosts, headers) to values of one shape. */
    record MapOf(Shape value, String description) implements Shape {}

    /** One of several forms, tried in order (a short form as a string, a long form as a map). */
    record OneOf(List<Shape> forms, String description) implements Shape {}

    /** Any YAML value (the values compared by {@code expect.json}). */
    record Anything(String description) implements Shape {}

    /** No value at all ({@code token:} alone under {@code inputs}: a required input). */
    record Nothing(String description) implements Shape {}

    /** A value that may not appear here ({@code expect} on a {@code manual} step). */
    record Absent(String description) implements Shape {}

    /**
     * A map of fixed keys.
     *
     * @param name its name among the definitions ({@code step}, {@code host})
     * @param fields the keys, in the order the format documents them
     * @param exactlyOne keys of which exactly one must be present (a step's action); may be empty
     * @param whenPresent when the key on the left is present, the fields on the right have these
     *     shapes instead (a step's {@code expect} depends on its action)
     */
    record Obj(
            String name,
            String description,
            Map<String, Field> fields,
            List<String> exactlyOne,
            Map<String, Map<String, Shape>> whenPresent)
            implements Shape {

        /** The keys that may appear. */
        public Set<String> keys() {
            return Collections.unmodifiableSet(fields.keySet());
        }
    }

    /**
     * One key of an {@link Obj}.
     *
     * @param required true when the loader reports its absence
     */
    record Field(Shape shape, boolean required) {}

    /** Builds an {@link Obj}: {@code obj("host", "…").key("address", TEXT, "…")…build()}. */
    static ObjBuilder obj(String name, String description) {
        return new ObjBuilder(name, description);
    }

    /** The builder of an {@link Obj}. */
    final class ObjBuilder {
        private final String name;
        private final String description;
        private final Map<String, Field> fields = new LinkedHashMap<>();
        private List<String> exactlyOne = List.of();
        private final Map<String, Map<String, Shape>> whenPresent = new LinkedHashMap<>();

        private ObjBuilder(String name, String description) {
            this.name = name;
            this.description = description;
        }

        /** An optional key. */
        public ObjBuilder key(String key, Shape shape) {
            fields.put(key, new Field(shape, false));
            return this;
        }

        /** A required key. */
        public ObjBuilder required(String key, Shape shape) {
            fields.put(key, new Field(shape, true));
            return this;
        }

        /** Exactly one of these keys (already added) must be present. */
        public ObjBuilder exactlyOne(List<String> keys) {
            this.exactlyOne = List.copyOf(keys);
            return this;
        }

        /** When {@code present} is there, {@code key} has {@code shape}. */
        public ObjBuilder whenPresent(String present, String key, Shape shape) {
            whenPresent.computeIfAbsent(present, k -> new LinkedHashMap<>()).put(key, shape);
            return this;
        }

        /** The map's shape. */
        public Obj build() {
            return new Obj(
                    name,
                    description,
                    Collections.unmodifiableMap(new LinkedHashMap<>(fields)),
                    exactlyOne,
                    Collections.unmodifiableMap(new LinkedHashMap<>(whenPresent)));
        }
    }
}
