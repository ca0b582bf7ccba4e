package dev.runbook.load;

import dev.runbook.model.Durations;
import dev.runbook.model.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads from one YAML map, collecting problems instead of stopping at the first:
 * unknown keys, missing required keys and wrong types are reported with their position.
 */
final class Fields {

    private final Node.MapNode map;
    private final String what;
    private final List<Problem> problems;

    /**
     * Reads a map of the given shape: its unknown keys and its missing required keys (both from
     * {@link Shapes}, the definitions the JSON Schema is made of) are reported at once.
     *
     * @param node the map to read; a non-map node is reported as a problem
     * @param what how to name the map in messages ("step 'db-version'")
     * @param shape the keys that may appear and those that must; null for any key ({@link #named})
     * @param problems where problems go
     */
    Fields(Node node, String what, Shape.Obj shape, List<Problem> problems) {
        this.what = what;
        this.problems = problems;
        if (node instanceof Node.MapNode m) {
            this.map = m;
            Set<String> allowed = shape == null ? m.entries().keySet() : shape.keys();
            for (String key : m.entries().keySet()) {
                if (!allowed.contains(key)) {
                    problems.add(new Problem(
                            m.keyPositions().get(key),
                            "unknown key '" + key + "' in " + what + " (expected one of: "
                                    + String.join(", ", sorted(allowed)) + ")"));
                }
            }
            (shape == null ? Map.<String, Shape.Field>of() : shape.fields()).forEach((key, field) -> {
                if (field.required() && !m.entries().containsKey(key)) {
                    problems.add(new Problem(m.position(), what + " is missing required key '" + key + "'"));
                }
            });
        } else {
            this.map = new Node.MapNode(node.position(), new LinkedHashMap<>(), Map.of());
            problems.add(new Problem(node.position(), what + " must be a map, not " + node.kind()));
        }
    }

    /**
     * Reads a map whose keys are names chosen by the user (groups of hosts): any key may appear.
     *
     * @param node the map to read; a non-map node is reported as a problem
     * @param what how to name the map in messages
     * @param problems where problems go
     */
    static Fields named(Node node, String what, List<Problem> problems) {
        return new Fields(node, what, null, problems);
    }

    private static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        l.sort(null);
        return l;
    }

    boolean has(String key) {
        return map.entries().containsKey(key);
    }

    Node node(String key) {
        return map.entries().get(key);
    }

    Position position() {
        return map.position();
    }

    Position keyPosition(String key) {
        return map.keyPositions().getOrDefault(key, map.position());
    }

    Node.MapNode map() {
        return map;
    }

    void problem(Position at, String message) {
        problems.add(new Problem(at, message));
    }

    /** A scalar as text; null when absent (a required key's absence is reported by the constructor). */
    String string(String key) {
        Node n = node(key);
        if (n == null) {
            return null;
        }
        if (n instanceof Node.Scalar s && s.text() != null) {
            return s.text();
        }
        problems.add(new Problem(n.position(), "'" + key + "' in " + what + " must be a string, not " + n.kind()));
        return null;
    }

    Integer integer(String key) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        try {
            return Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            problems.add(new Problem(
                    node(key).position(), "'" + key + "' in " + what + " must be a whole number, not '" + s + "'"));
            return null;
        }
    }

    boolean bool(String key, boolean dflt) {
        String s = string(key);
        if (s == null) {
            return dflt;
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        problems.add(new Problem(
                node(key).position(), "'" + key + "' in " + what + " must be true or false, not '" + s + "'"));
        return dflt;
    }

    Duration duration(String key) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        try {
            return Durations.parse(s);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(node(key).position(), "'" + key + "' in " + what + ": " + e.getMessage()));
            return null;
        }
    }

    /** A list of strings; a single string is accepted as a one-item list when {@code single} is true. */
    List<String> strings(String key, boolean single) {
        Node n = node(key);
        if (n == null) {
            return List.of();
        }
        if (single && n instanceof Node.Scalar s && s.text() != null) {
            return List.of(s.text());
        }
        if (!(n instanceof Node.ListNode l)) {
            problems.add(new Problem(n.position(), "'" + key + "' in " + what + " must be a list, not " + n.kind()));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Node item : l.items()) {
            if (item instanceof Node.Scalar s && s.text() != null) {
                out.add(s.text());
            } else {
                problems.add(new Problem(
                        item.position(), "items of '" + key + "' in " + what + " must be strings, not " + item.kind()));
            }
        }
        return out;
    }

    /** A map of string to string (headers, env, vars). */
    Map<String, String> stringMap(String key) {
        Node n = node(key);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof Node.MapNode m)) {
            problems.add(new Problem(n.position(), "'" + key + "' in " + what + " must be a map, not " + n.kind()));
            return out;
        }
        m.entries().forEach((k, v) -> {
            if (v instanceof Node.Scalar s && s.text() != null) {
                out.put(k, s.text());
            } else {
                problems.add(new Problem(
                        v.position(), "'" + key + "." + k + "' in " + what + " must be a string, not " + v.kind()));
            }
        });
        return out;
    }

    /** Plain Java value of a node: String, Long, Double, Boolean, null, List or Map. */
    static Object plain(Node n) {
        if (n instanceof Node.Scalar s) {
            if (s.text() == null || s.quoted()) {
                return s.text();
            }
            String t = s.text();
            if (t.equals("true") || t.equals("false")) {
                return Boolean.valueOf(t);
            }
            try {
                return Long.valueOf(t);
            } catch (NumberFormatException e) {
                try {
                    return Double.valueOf(t);
                } catch (NumberFormatException e2) {
                    return t;
                }
            }
        }
        if (n instanceof Node.ListNode l) {
            List<Object> out = new ArrayList<>();
            l.items().forEach(i -> out.add(plain(i)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Node.MapNode) n).entries().forEach((k, v) -> out.put(k, plain(v)));
        return out;
    }
}
