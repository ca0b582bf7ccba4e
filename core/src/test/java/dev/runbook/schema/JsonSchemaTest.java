package dev.runbook.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.runbook.load.InvalidException;
import dev.runbook.load.InventoryLoader;
import dev.runbook.load.RunbookLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON Schemas (issue 12, item 8) against the loader, with networknt's validator (draft
 * 2020-12): the shipped files are the generated ones, every library file is valid for both, and
 * what the loader refuses for its shape (an unknown key, a missing one, a wrong kind of value) the
 * schema refuses too: the bad corpus's such files, and mutations of every library runbook.
 */
class JsonSchemaTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path LIBRARY = Path.of("runbooks");

    @TempDir
    Path dir;

    private static Schema schema(JsonSchema.Document d) {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(JsonSchema.of(d));
    }

    private static final Schema RUNBOOK = schema(JsonSchema.Document.RUNBOOK);
    private static final Schema INVENTORY = schema(JsonSchema.Document.INVENTORY);

    private static List<Path> library() throws IOException {
        try (Stream<Path> s = Files.walk(LIBRARY)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static boolean inventory(Path p) {
        return p.getFileName().toString().equals("environments.yaml");
    }

    @Test
    void theShippedFilesAreTheGeneratedOnes() throws IOException {
        for (JsonSchema.Document d : JsonSchema.Document.values()) {
            assertThat(Files.readString(Path.of("schema", d.fileName())))
                    .as(
                            "schema/%s is stale: bin/runbook schema %s > schema/%s",
                            d.fileName(), d.name().toLowerCase(java.util.Locale.ROOT), d.fileName())
                    .isEqualTo(JsonSchema.text(d));
        }
    }

    @Test
    void everyLibraryFileIsValidForTheLoaderAndTheSchemaAndNamesIt() throws Exception {
        List<Path> files = library();
        assertThat(files).hasSizeGreaterThanOrEqualTo(20);
        for (Path f : files) {
            JsonNode doc = YAML.readTree(f.toFile());
            String first = Files.readAllLines(f).get(0);
            String name = inventory(f) ? "inventory.schema.json" : "runbook.schema.json";
            assertThat(first)
                    .as(f + " names its schema")
                    .startsWith("# yaml-language-server: $schema=")
                    .endsWith(name);
            Path target = f.getParent()
                    .resolve(first.substring(first.indexOf('=') + 1))
                    .normalize();
            assertThat(target).as(f + ": the schema it names").isEqualTo(Path.of("schema", name));
            if (inventory(f)) {
                InventoryLoader.load(f, java.util.Map.of());
                assertThat(INVENTORY.validate(doc)).as(f.toString()).isEmpty();
            } else {
                RunbookLoader.load(f);
                assertThat(RUNBOOK.validate(doc)).as(f.toString()).isEmpty();
            }
        }
    }

    /** The loader's messages about a file's shape, rather than its meaning (a goto, an expression). */
    private static final Pattern SHAPE =
            Pattern.compile("unknown key '|is missing required key '|must be a (string|list|map)"
                    + "(, not| of)|must be strings, not|must be true or false|must be a whole number|is not a duration|"
                    + "severity must be P1, P2, P3 or P4|has no action|has several actions|'inputs' must be a map");

    @Test
    void whatTheBadCorpusGetsWrongInShapeTheSchemaRefusesToo() throws Exception {
        int tried = 0;
        int held = 0;
        List<String> missed = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("core/src/test/resources/bad"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                List<String> problems;
                try {
                    RunbookLoader.load(f);
                    problems = List.of();
                } catch (InvalidException e) {
                    problems = e.problems().stream().map(p -> p.message()).toList();
                }
                if (problems.stream().noneMatch(m -> SHAPE.matcher(m).find())) {
                    continue; // refused for its meaning, its bytes or its YAML: the loader's business
                }
                JsonNode doc;
                try {
                    doc = YAML.readTree(f.toFile());
                } catch (IOException e) {
                    continue;
                }
                tried++;
                if (doc == null || !RUNBOOK.validate(doc).isEmpty()) {
                    held++;
                } else {
                    missed.add(f + ": " + problems);
                }
            }
        }
        System.out.printf("bad corpus: %d shape mistakes tried, %d refused by the schema too%n", tried, held);
        assertThat(missed).as("refused by the loader, accepted by the schema").isEmpty();
        assertThat(tried).isGreaterThanOrEqualTo(40);
    }

    /** A way to break a runbook's shape, and where. */
    private record Mutation(String name, Consumer<ObjectNode> apply) {}

    private static ObjectNode firstStep(ObjectNode rb) {
        return (ObjectNode) rb.get("steps").get(0);
    }

    private static final List<Mutation> RUNBOOK_MUTATIONS = List.of(
            new Mutation("an unknown top key", rb -> rb.put("colour", "red")),
            new Mutation("an unknown step key", rb -> firstStep(rb).put("retries", "3")),
            new Mutation("no title", rb -> rb.remove("title")),
            new Mutation("no steps", rb -> rb.remove("steps")),
            new Mutation("a severity P5", rb -> rb.put("severity", "P5")),
            new Mutation("a step without id", rb -> firstStep(rb).remove("id")),
            new Mutation("a timeout in words", rb -> firstStep(rb).put("timeout", "5 minutes")),
            new Mutation("dangerous: maybe", rb -> firstStep(rb).put("dangerous", "maybe")),
            new Mutation(
                    "a second action",
                    rb -> firstStep(rb)
                            .put(
                                    firstStep(rb).has("manual") ? "wait" : "manual",
                                    firstStep(rb).has("manual") ? "5s" : "do it")),
            new Mutation("no action", rb -> {
                ObjectNode st = firstStep(rb);
                dev.runbook.load.Shapes.ACTIONS.forEach(st::remove);
            }),
            new Mutation(
                    "retry attempts in words",
                    rb -> firstStep(rb).putObject("retry").put("attempts", "three")),
            new Mutation("tags as a map", rb -> rb.putObject("tags").put("a", "b")),
            new Mutation("steps as a map", rb -> rb.putObject("steps").put("a", "b")),
            new Mutation("an sla in days", rb -> rb.putObject("sla").put("respond", "2 days")));

    @Test
    void mutationsOfEveryLibraryRunbookAreRefusedByBoth() throws Exception {
        int tried = 0;
        List<String> missed = new ArrayList<>();
        for (Path f : library()) {
            if (inventory(f)) {
                continue;
            }
            for (Mutation m : RUNBOOK_MUTATIONS) {
                ObjectNode doc = (ObjectNode) YAML.readTree(f.toFile());
                m.apply().accept(doc);
                Path mutated = dir.resolve(f.getFileName());
                YAML.writeValue(mutated.toFile(), doc);
                tried++;
                boolean loader;
                try {
                    RunbookLoader.load(mutated);
                    loader = false;
                } catch (InvalidException e) {
                    loader = true;
                }
                boolean schema =
                        !RUNBOOK.validate(YAML.readTree(mutated.toFile())).isEmpty();
                if (!loader || !schema) {
                    missed.add(f + " with " + m.name() + ": loader " + (loader ? "refused" : "accepted") + ", schema "
                            + (schema ? "refused" : "accepted"));
                }
            }
        }
        System.out.printf("library mutations: %d tried, %d refused by both%n", tried, tried - missed.size());
        assertThat(missed).isEmpty();
        assertThat(tried).isGreaterThanOrEqualTo(200);
    }

    @Test
    void mutationsOfTheInventoryAreRefusedByBoth() throws Exception {
        Path f = LIBRARY.resolve("environments.yaml");
        List<Consumer<ObjectNode>> mutations = List.of(
                inv -> inv.put("colour", "red"),
                inv -> inv.remove("environments"),
                inv -> env(inv).put("protected", "maybe"),
                inv -> env(inv).put("region", "eu"),
                inv -> firstOf(env(inv), "hosts").put("port", "twenty-two"),
                inv -> firstOf(env(inv), "hosts").put("proxy", "bastion"),
                inv -> firstOf(env(inv), "databases").remove("url"),
                inv -> env(inv).putObject("channels").putObject("ops").put("format", "xml"),
                inv -> env(inv).putArray("shell_path").addObject().put("a", "b"),
                inv -> env(inv).putObject("groups").putArray("web").addArray());
        int tried = 0;
        for (Consumer<ObjectNode> m : mutations) {
            ObjectNode doc = (ObjectNode) YAML.readTree(f.toFile());
            m.accept(doc);
            Path mutated = dir.resolve("environments.yaml");
            YAML.writeValue(mutated.toFile(), doc);
            tried++;
            int n = tried;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> InventoryLoader.load(mutated, java.util.Map.of()))
                    .as("mutation %d", n)
                    .isInstanceOf(InvalidException.class);
            assertThat(INVENTORY.validate(YAML.readTree(mutated.toFile())))
                    .as("mutation %d", n)
                    .isNotEmpty();
        }
        assertThat(tried).isEqualTo(mutations.size());
    }

    private static ObjectNode env(ObjectNode inv) {
        return (ObjectNode) inv.get("environments").elements().next();
    }

    private static ObjectNode firstOf(ObjectNode env, String key) {
        return (ObjectNode) env.get(key).elements().next();
    }
}
