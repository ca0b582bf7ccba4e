package dev.runbook.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.model.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link InventoryLoader}: the {@code shell_path} extension, read strictly. */
class InventoryLoaderTest {

    @TempDir
    Path dir;

    @Test
    void shellPathIsReadInOrderAndEmptyWhenAbsent() throws Exception {
        Path f = Files.writeString(
                dir.resolve("environments.yaml"),
                String.join(
                        "\n",
                        "environments:",
                        "  sandbox:",
                        "    shell_path: [.sandbox/bin, /opt/tools]",
                        "  prod: {}",
                        ""));

        Inventory inv = InventoryLoader.load(f, java.util.Map.of());

        assertThat(inv.environment("sandbox").orElseThrow().shellPath()).containsExactly(".sandbox/bin", "/opt/tools");
        assertThat(inv.environment("prod").orElseThrow().shellPath()).isEmpty();
    }

    @Test
    void shellPathMustBeAListOfDirectories() throws Exception {
        Path f = Files.writeString(
                dir.resolve("environments.yaml"),
                String.join(
                        "\n", "environments:", "  a: {shell_path: .sandbox/bin}", "  b: {shell_path: ['x:y']}", ""));

        assertThatThrownBy(() -> InventoryLoader.load(f, java.util.Map.of()))
                .isInstanceOfSatisfying(
                        InvalidException.class,
                        e -> assertThat(e.problems().stream()
                                        .map(Object::toString)
                                        .toList())
                                .anyMatch(p -> p.contains("'shell_path' in environment 'a' must be a list"))
                                .anyMatch(p -> p.contains("'x:y' must be a directory")));
    }

    @Test
    void theStoreIsADatabaseUrlWithItsPasswordAsASecretTemplate() throws Exception {
        Path ok = Files.writeString(
                dir.resolve("ok.yaml"),
                "store: {url: 'jdbc:postgresql://db:5432/incidents', user: rb, password: '${secrets.STORE_PW}'}\n"
                        + "environments: {prod: {}}\n");
        assertThat(InventoryLoader.load(ok, java.util.Map.of()).store())
                .isEqualTo(new dev.runbook.model.StoreRef(
                        "jdbc:postgresql://db:5432/incidents", "rb", "${secrets.STORE_PW}"));

        Path bad = Files.writeString(
                dir.resolve("bad.yaml"),
                "store: {url: 'mysql://db/incidents', password: hunter2, port: 5432}\nenvironments: {prod: {}}\n");
        assertThatThrownBy(() -> InventoryLoader.load(bad, java.util.Map.of()))
                .isInstanceOfSatisfying(
                        InvalidException.class,
                        e -> assertThat(e.problems().stream()
                                        .map(Object::toString)
                                        .toList())
                                .anyMatch(p -> p.contains("store: url 'mysql://db/incidents': not a PostgreSQL URL"))
                                .anyMatch(p -> p.contains("store: password must be ${secrets.NAME}"))
                                .anyMatch(p -> p.contains("port"))
                                .noneMatch(p -> p.contains("hunter2")));

        // a libpq URI or a service, as for a database; a remote server not verified is a warning
        Path uri = Files.writeString(
                dir.resolve("uri.yaml"),
                "store: {url: 'postgresql://rb@db.example.com/incidents'}\nenvironments: {prod: {}}\n");
        Inventory fromUri = InventoryLoader.load(uri, java.util.Map.of());
        assertThat(fromUri.store().url()).isEqualTo("postgresql://rb@db.example.com/incidents");
        assertThat(fromUri.warnings())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains(uri + ":1:14: store: url 'postgresql://rb@db.example.com/incidents': server db.example.com");
        assertThat(InventoryLoader.load(uri, java.util.Map.of("PGSSLMODE", "verify-full"))
                        .warnings())
                .isEmpty();
        Path service = Files.writeString(
                dir.resolve("service.yaml"), "store: {url: 'service=incidents'}\nenvironments: {prod: {}}\n");
        assertThat(InventoryLoader.load(service, java.util.Map.of()).warnings()).isEmpty();
    }
}
