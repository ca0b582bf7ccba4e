package dev.runbook.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A real terminal for a test: a tmux server of the test's own (its socket in the test's
 * directory) running one command in a detached session, driven with {@code send-keys} and read
 * with {@code capture-pane}.
 *
 * <p>tmux starts the command with {@code $SHELL -c}, falling back to the passwd entry's shell:
 * for the user CI runs the tests as (nobody, in a user namespace) that is {@code nologin}, and
 * the session would die at once; so the shell is given.
 */
public final class Tmux implements AutoCloseable {

    private final Path socket;

    private Tmux(Path socket) {
        this.socket = socket;
    }

    /** True when tmux is installed (.ci/run installs it). */
    public static boolean available() {
        return new File("/usr/bin/tmux").canExecute();
    }

    /**
     * Starts {@code command} (a {@code /bin/sh -c} line) on a 120×40 terminal.
     *
     * @param dir where the server's socket goes
     * @throws AssertionError when tmux could not start the session
     */
    public static Tmux start(Path dir, String command) throws java.io.IOException, InterruptedException {
        Tmux t = new Tmux(dir.resolve("tmux.sock"));
        String out = t.tmux("new-session", "-d", "-s", "t", "-x", "120", "-y", "40", command);
        if (!out.isEmpty()) {
            throw new AssertionError("tmux new-session: " + out);
        }
        return t;
    }

    /** Sends keys as tmux names them ({@code Enter}, {@code Left}, {@code C-c}, or literal text). */
    public void send(String... keys) throws java.io.IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** The screen's text now (no escape codes unless {@code escapes}), with the scroll-back. */
    public String screen(boolean escapes) throws java.io.IOException, InterruptedException {
        return escapes
                ? tmux("capture-pane", "-t", "t", "-p", "-e", "-S", "-200")
                : tmux("capture-pane", "-t", "t", "-p", "-S", "-200");
    }

    /**
     * Waits up to 20 s for the screen to satisfy {@code until}.
     *
     * @return the screen that did
     * @throws AssertionError naming {@code what} and showing the last screen, on time-out
     */
    public String await(String what, Predicate<String> until) throws java.io.IOException, InterruptedException {
        String screen = "";
        for (int i = 0; i < 200; i++) {
            screen = screen(false);
            if (until.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; the screen:\n" + screen);
    }

    private String tmux(String... args) throws java.io.IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SHELL", "/bin/sh");
        pb.environment().putIfAbsent("TERM", "xterm");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    /** Ends the server and everything it runs. */
    @Override
    public void close() throws java.io.IOException {
        try {
            tmux("kill-server");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
