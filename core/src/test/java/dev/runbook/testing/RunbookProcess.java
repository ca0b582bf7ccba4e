package dev.runbook.testing;

import dev.runbook.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A real {@code runbook} process (another responder's terminal), its output in a file. */
public final class RunbookProcess {

    private RunbookProcess() {}

    /**
     * Starts {@code runbook ARGS} in its own working directory.
     *
     * @param cwd its working directory (created), also its XDG cache and state homes
     * @param output where stdout and stderr go
     * @param env extra environment variables ({@code NO_COLOR} is set)
     */
    public static Process start(Path cwd, Path output, Map<String, String> env, String... args) throws Exception {
        Files.createDirectories(cwd);
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().putAll(env);
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("XDG_CACHE_HOME", cwd.resolve("cache").toString());
        pb.environment().put("XDG_STATE_HOME", cwd.resolve("state").toString());
        return pb.start();
    }

    /** Waits up to 60 s for a condition, polling every 50 ms; fails naming what it waited for. */
    public static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** A file's text, or "" when it cannot be read (yet). */
    public static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (Exception e) {
            return "";
        }
    }
}
