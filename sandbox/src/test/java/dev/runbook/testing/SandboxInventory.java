package dev.runbook.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The library's inventory with environment {@code sandbox} moved to other ports and its
 * files ({@code .sandbox/}) into a temp directory, so tests can start sandboxes beside a
 * developer's running one without touching it.
 */
public final class SandboxInventory {

    private SandboxInventory() {}

    /**
     * Writes the shifted copy.
     *
     * @param dir where the copy and the sandbox's files go
     * @param offset added to each sandbox port (HTTP 18080, PostgreSQL 15432, SSH 12222)
     * @return the inventory file
     */
    public static Path shifted(Path dir, int offset) throws IOException {
        String inv = Files.readString(Path.of("runbooks/environments.yaml"))
                .replace("18080", String.valueOf(18080 + offset))
                .replace("15432", String.valueOf(15432 + offset))
                .replace("15433", String.valueOf(15433 + offset))
                .replace("12222", String.valueOf(12222 + offset))
                .replace(".sandbox/", dir.toAbsolutePath() + "/");
        return Files.writeString(dir.resolve("environments.yaml"), inv);
    }

    /** The sandbox's HTTP port after shifting. */
    public static int httpPort(int offset) {
        return 18080 + offset;
    }
}
