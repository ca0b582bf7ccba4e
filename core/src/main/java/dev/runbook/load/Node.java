package dev.runbook.load;

import dev.runbook.model.Position;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the position it was read at: the parsed shape the loaders walk,
 * so every error can name {@code PATH:LINE:COLUMN}.
 */
public sealed interface Node {

    /** Where the value starts. */
    Position position();

    /** A word for error messages: "a map", "a list", "a string"... */
    String kind();

    /**
     * A mapping; keys keep file order.
     *
     * @param entries key to value
     * @param keyPositions key to the position of the key itself
     */
    record MapNode(Position position, LinkedHashMap<String, Node> entries, Map<String, Position> keyPositions)
            implements Node {
        @Override
        public String kind() {
            return "a map";
        }
    }

    /** A sequence. */
    record ListNode(Position position, List<Node> items) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A scalar, kept as written.
     *
     * @param text the scalar's text (null for YAML null)
     * @param quoted true when the YAML token was a string (not a number, boolean or null)
     */
    record Scalar(Position position, String text, boolean quoted) implements Node {
        @Override
        public String kind() {
            return text == null ? "null" : "a scalar";
        }
    }
}
