package dev.runbook.cli;

import dev.runbook.console.Terminal;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL refuses to run as root. When {@code runbook sandbox} or {@code runbook drill} runs
 * as uid 0, it re-executes itself under {@code unshare -U} (a new user namespace where the
 * process is an unprivileged user, as the tests' JVM in src/test/jvm/bin/java): same java,
 * same JVM options, same class path, same arguments, standard streams inherited, and the
 * child's exit code returned. Files it writes stay root-owned on disk, so a root
 * {@code runbook run … --env sandbox} reads the keys and reaches the ports as usual.
 */
final class Unshare {

    /** Set in the child's environment so it never re-executes again. */
    static final String MARK = "RUNBOOK_UNSHARED";

    private Unshare() {}

    /** True when this process is root and was not already re-executed. */
    static boolean needed(Terminal terminal) {
        if (terminal.env().containsKey(MARK)) {
            return false;
        }
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Runs this command again under {@code unshare -U} and waits for it (Ctrl-C reaches both:
     * they share the terminal's process group; when only this process is signalled, the child
     * gets SIGTERM after 2 s, which stops it cleanly through its shutdown hooks).
     *
     * @param args the original command-line arguments
     * @return the child's exit code
     * @throws ExitException 1 when {@code unshare} is missing or not permitted
     */
    static int reexec(List<String> args) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of("unshare", "-U", java));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(MARK, "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ExitException(
                    ExitCodes.FAILED,
                    "PostgreSQL refuses to run as root and 'unshare -U' could not" + " be started (" + e.getMessage()
                            + "): run as a normal user");
        }
        // this JVM is ending (Ctrl-C, or a signal sent to this process only): give the child
        // 2 s to end by itself (a terminal's Ctrl-C reaches it too), then SIGTERM it and wait 10 s
        Thread hook = new Thread(
                () -> {
                    try {
                        if (!p.waitFor(2, TimeUnit.SECONDS)) {
                            p.destroy();
                            p.waitFor(10, TimeUnit.SECONDS);
                        }
                    } catch (InterruptedException ignored) {
                        Thread.currentThread().interrupt();
                    }
                },
                "unshare-wait");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            return ExitCodes.INTERRUPTED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down already
            }
        }
    }
}
