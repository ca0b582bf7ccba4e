package dev.runbook.load;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.runbook.model.Position;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one YAML document into a {@link Node} tree that keeps line and column of every
 * value, with Jackson's streaming YAML parser. Duplicate keys are errors (contract:
 * "duplicate keys … are validation errors").
 */
public final class YamlReader {

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlReader() {}

    /**
     * Parses a document.
     *
     * @param file the path to name in positions
     * @param text the document, UTF-8 decoded
     * @return the root node
     * @throws InvalidException on a syntax error, a duplicate key or an empty document
     */
    public static Node parse(String file, String text) throws InvalidException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new InvalidException(List.of(new Problem(new Position(file, 1, 1), "empty document")));
            }
            return read(file, p, t);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            JsonLocation loc =
                    e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getLocation() : null;
            msg = msg.lines().findFirst().orElse(msg).replaceAll("\\s*\\(?at \\[Source.*$", "");
            int line = loc == null ? 0 : Math.max(loc.getLineNr(), 1);
            int col = loc == null ? 0 : Math.max(loc.getColumnNr(), 1);
            throw new InvalidException(List.of(new Problem(new Position(file, line, col), "invalid YAML: " + msg)));
        }
    }

    private static Node read(String file, JsonParser p, JsonToken t) throws IOException, InvalidException {
        Position pos = position(file, p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                LinkedHashMap<String, Node> entries = new LinkedHashMap<>();
                Map<String, Position> keys = new HashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Position keyPos = position(file, p.currentTokenLocation());
                    if (entries.containsKey(key)) {
                        throw new InvalidException(List.of(new Problem(
                                keyPos,
                                "duplicate key '" + key + "' (first at line "
                                        + keys.get(key).line() + ")")));
                    }
                    keys.put(key, keyPos);
                    entries.put(key, read(file, p, p.nextToken()));
                }
                return new Node.MapNode(pos, entries, keys);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    items.add(read(file, p, n));
                }
                return new Node.ListNode(pos, items);
            }
            case VALUE_NULL -> {
                return new Node.Scalar(pos, null, false);
            }
            case VALUE_STRING -> {
                return new Node.Scalar(pos, p.getText(), true);
            }
            default -> {
                return new Node.Scalar(pos, p.getText(), false);
            }
        }
    }

    private static Position position(String file, JsonLocation loc) {
        return new Position(file, loc.getLineNr(), loc.getColumnNr());
    }
}
