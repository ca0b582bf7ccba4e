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
 * value, with Jackson's streaming YAML parser. Strict (contract: one YAML document per file):
 * duplicate keys, anchors, aliases, merge keys ({@code <<}), tags, a second document and anything
 * after the end of the first are errors with their position; a syntax error names its cause (a
 * tab character, an unclosed quote) as well as where it is.
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
        strict(file, text);
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new InvalidException(List.of(new Problem(new Position(file, 1, 1), "empty document")));
            }
            Node root = read(file, p, t);
            JsonToken more = p.nextToken();
            if (more != null) {
                throw new InvalidException(List.of(new Problem(
                        position(file, p.currentTokenLocation()),
                        "a second YAML document (after '---' or '...'): a file holds one runbook")));
            }
            return root;
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            JsonLocation loc =
                    e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe ? jpe.getLocation() : null;
            msg = cause(msg) + msg.lines().findFirst().orElse(msg).replaceAll("\\s*\\(?at \\[Source.*$", "");
            int line = loc == null ? 0 : Math.max(loc.getLineNr(), 1);
            int col = loc == null ? 0 : Math.max(loc.getColumnNr(), 1);
            throw new InvalidException(List.of(new Problem(new Position(file, line, col), "invalid YAML: " + msg)));
        }
    }

    /**
     * The YAML features a runbook may not use, found on SnakeYAML's event stream (the parser under
     * Jackson's): aliases, anchors, explicit tags (on any node), and more than one document.
     * Syntax errors are left to the parse that follows, which reports them.
     */
    private static void strict(String file, String text) throws InvalidException {
        int documents = 0;
        try {
            // the event parser alone: a whole Yaml object would build a constructor and a representer
            // (and start java.util.logging) for each file, a good part of validate's start-up
            org.yaml.snakeyaml.parser.Parser events = new org.yaml.snakeyaml.parser.ParserImpl(
                    new org.yaml.snakeyaml.reader.StreamReader(text), new org.yaml.snakeyaml.LoaderOptions());
            while (!events.checkEvent(org.yaml.snakeyaml.events.Event.ID.StreamEnd)) {
                org.yaml.snakeyaml.events.Event e = events.getEvent();
                Position at = new Position(
                        file, e.getStartMark().getLine() + 1, e.getStartMark().getColumn() + 1);
                if (e instanceof org.yaml.snakeyaml.events.AliasEvent a) {
                    throw strictProblem(
                            at, "an alias (*" + a.getAnchor() + "): aliases are not allowed, write the value out");
                }
                if (e instanceof org.yaml.snakeyaml.events.NodeEvent n && n.getAnchor() != null) {
                    throw strictProblem(at, "an anchor (&" + n.getAnchor() + "): anchors are not allowed");
                }
                String tag = e instanceof org.yaml.snakeyaml.events.ScalarEvent s
                                && !s.getImplicit().canOmitTagInPlainScalar()
                                && !s.getImplicit().canOmitTagInNonPlainScalar()
                        ? s.getTag()
                        : e instanceof org.yaml.snakeyaml.events.CollectionStartEvent c && !c.getImplicit()
                                ? c.getTag()
                                : null;
                if (tag != null) {
                    throw strictProblem(at, "a tag (" + tag + "): tags are not allowed");
                }
                if (e instanceof org.yaml.snakeyaml.events.DocumentStartEvent && ++documents > 1) {
                    throw strictProblem(at, "a second YAML document (after '---' or '...'): a file holds one runbook");
                }
            }
        } catch (org.yaml.snakeyaml.error.YAMLException syntax) {
            // reported with its cause by the parse that follows
        }
    }

    private static InvalidException strictProblem(Position at, String message) {
        return new InvalidException(List.of(new Problem(at, "invalid YAML: " + message)));
    }

    /** The cause of a SnakeYAML syntax error in a few words, before the parser's own text. */
    private static String cause(String msg) {
        String m = msg.toLowerCase(java.util.Locale.ROOT);
        if (m.contains("\\t") || m.contains("(tab)") || m.contains("'\t'")) {
            return "tab character (YAML indents with spaces): ";
        }
        if (m.contains("quoted scalar") && m.contains("end of stream")) {
            return "unclosed quote: ";
        }
        if (m.contains("undefined alias")) {
            return "undefined alias: ";
        }
        if (m.contains("mapping values are not allowed")) {
            return "a ':' inside a plain value (quote the value): ";
        }
        if (m.contains("could not find expected ':'")) {
            return "a line without 'key: value' (a missing ':' or a wrong indentation): ";
        }
        if (m.contains("found unexpected end of stream") || m.contains("expected ']'") || m.contains("expected '}'")) {
            return "an unclosed [ or {: ";
        }
        return "";
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
                    if (key.equals("<<")) {
                        throw strictProblem(keyPos, "a merge key (<<): merge keys are not allowed, write the keys out");
                    }
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
