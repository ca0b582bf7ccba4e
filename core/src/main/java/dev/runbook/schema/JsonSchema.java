package dev.runbook.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runbook.load.Shape;
import dev.runbook.load.Shapes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12, json-schema.org) of the runbook format and of the inventory,
 * made from the loader's own definitions ({@link Shapes}): every fixed-key map becomes a
 * definition under {@code $defs} that refuses unknown keys, as the loader does. Editors use it
 * through {@code # yaml-language-server: $schema=…} (docs/format.md, "Editors").
 */
public final class JsonSchema {

    /** The dialect's URI. */
    public static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    /** What a schema is made for. */
    public enum Document {
        /** A runbook file. */
        RUNBOOK(Shapes.RUNBOOK, "runbook.schema.json", "runbook: a runbook file"),
        /** An inventory file ({@code environments.yaml}). */
        INVENTORY(Shapes.INVENTORY, "inventory.schema.json", "runbook: an inventory (environments.yaml)");

        private final Shape.Obj root;
        private final String fileName;
        private final String title;

        Document(Shape.Obj root, String fileName, String title) {
            this.root = root;
            this.fileName = fileName;
            this.title = title;
        }

        /** The file name it is shipped under ({@code schema/runbook.schema.json}). */
        public String fileName() {
            return fileName;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ObjectNode> defs = new LinkedHashMap<>();

    private JsonSchema() {}

    /**
     * The schema of one document.
     *
     * @return a JSON object: {@code $schema}, {@code title}, the root's keys, {@code $defs}
     */
    public static ObjectNode of(Document document) {
        JsonSchema s = new JsonSchema();
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", DRAFT_2020_12);
        root.put("title", document.title);
        ObjectNode body = s.object(document.root);
        root.setAll(body);
        ObjectNode defs = root.putObject("$defs");
        s.defs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> defs.set(e.getKey(), e.getValue()));
        return root;
    }

    /** The schema as the text {@code runbook schema} prints: pretty JSON and a final newline. */
    public static String text(Document document) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(of(document)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the schema cannot be written as JSON", e);
        }
    }

    private ObjectNode node(Shape shape) {
        ObjectNode n;
        if (shape instanceof Shape.Scalar s) {
            n = scalar(s);
        } else if (shape instanceof Shape.ListOf l) {
            n = list(l);
        } else if (shape instanceof Shape.MapOf m) {
            n = JSON.createObjectNode().put("type", "object");
            n.set("additionalProperties", node(m.value()));
        } else if (shape instanceof Shape.OneOf o) {
            n = JSON.createObjectNode();
            ArrayNode forms = n.putArray("anyOf");
            o.forms().forEach(f -> forms.add(node(f)));
        } else if (shape instanceof Shape.Nothing) {
            n = JSON.createObjectNode().put("type", "null");
        } else if (shape instanceof Shape.Absent) {
            n = JSON.createObjectNode();
            n.putObject("not"); // {"not": {}}: no value is valid
        } else if (shape instanceof Shape.Obj o) {
            n = ref(o);
        } else {
            n = JSON.createObjectNode(); // Anything
        }
        if (shape.description() != null && !(shape instanceof Shape.Obj)) {
            n.put("description", shape.description());
        }
        return n;
    }

    private ObjectNode ref(Shape.Obj o) {
        if (!defs.containsKey(o.name())) {
            defs.put(o.name(), JSON.createObjectNode()); // a placeholder: the definitions may refer to themselves
            defs.put(o.name(), object(o));
        }
        return JSON.createObjectNode().put("$ref", "#/$defs/" + o.name());
    }

    private ObjectNode object(Shape.Obj o) {
        ObjectNode n = JSON.createObjectNode();
        if (o.description() != null) {
            n.put("description", o.description());
        }
        n.put("type", "object");
        ObjectNode props = n.putObject("properties");
        o.fields().forEach((k, f) -> props.set(k, node(f.shape())));
        ArrayNode required = JSON.createArrayNode();
        o.fields().forEach((k, f) -> {
            if (f.required()) {
                required.add(k);
            }
        });
        if (!required.isEmpty()) {
            n.set("required", required);
        }
        n.put("additionalProperties", false);
        if (!o.exactlyOne().isEmpty()) {
            ArrayNode one = n.putArray("oneOf");
            o.exactlyOne().forEach(k -> one.addObject().putArray("required").add(k));
        }
        if (!o.whenPresent().isEmpty()) {
            ArrayNode all = n.putArray("allOf");
            o.whenPresent().forEach((present, shapes) -> {
                ObjectNode rule = all.addObject();
                rule.putObject("if").putArray("required").add(present);
                ObjectNode then = rule.putObject("then").putObject("properties");
                shapes.forEach((k, s) -> then.set(k, node(s)));
            });
        }
        return n;
    }

    private static ObjectNode scalar(Shape.Scalar s) {
        ObjectNode n = JSON.createObjectNode();
        switch (s.kind()) {
            case TEXT -> n.putArray("type").add("string").add("number").add("boolean");
            case INTEGER -> {
                ArrayNode any = n.putArray("anyOf");
                any.addObject().put("type", "integer");
                any.addObject().put("type", "string").put("pattern", "^\\s*[-+]?[0-9]+\\s*$");
            }
            case BOOLEAN -> n.putArray("enum").add(true).add(false).add("true").add("false");
            case DURATION -> n.put("type", "string").put("pattern", "^\\s*([0-9]+(ms|s|m|h))+\\s*$");
            case ENUM -> {
                ArrayNode values = n.putArray("enum");
                s.values().forEach(values::add);
            }
        }
        return n;
    }

    private ObjectNode list(Shape.ListOf l) {
        ObjectNode array = JSON.createObjectNode();
        array.put("type", "array");
        array.set("items", node(l.item()));
        if (!l.single()) {
            return array;
        }
        ObjectNode n = JSON.createObjectNode();
        n.putArray("anyOf").add(node(l.item())).add(array);
        return n;
    }
}
