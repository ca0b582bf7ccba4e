package dev.runbook.action;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.Durations;
import dev.runbook.model.Inventory;
import dev.runbook.template.Renderer;
import dev.runbook.template.ShellCommand;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code shell} action (contract, "Actions" table): {@code /bin/sh -c <command>} on the
 * operator's machine.
 *
 * <p>The command is rendered with {@link Renderer#shell}: no value enters the command text; each
 * is passed in the child's environment as {@code RUNBOOK_V1…} and referenced by the script
 * (contract: "Injection-safe by construction"). {@code workdir} and the {@code env} values are
 * rendered as plain text, the env added to the inherited one. The
 * environment's {@code shell_path} directories (inventory extension, docs/format.md) are
 * prepended to the inherited {@code PATH}, before the step's {@code env} applies. The
 * child's stdin is empty ({@code /dev/null}).
 *
 * <p>stdout and stderr are sent line by line, live, to {@code ctx.output()} (sources
 * {@code stdout} and {@code stderr}; the output masks secrets) and captured, each up to
 * {@link #MAX_CAPTURE_BYTES} (then a marker notes the cut; live lines go on).
 *
 * <p>Result fields: {@code exit} (int; absent on timeout), {@code stdout}, {@code stderr}
 * (the lines joined with {@code \n}, without the final newline). Expect keys: {@code exit}
 * (default 0), {@code stdout_contains}, {@code stdout_matches} (a regex, found anywhere);
 * both are templates rendered as text.
 *
 * <p>The shell runs in its own session and process group ({@code setsid}, util-linux, where
 * present). On timeout (default 5 min) or interrupt, the whole group and every descendant are
 * sent SIGTERM, then SIGKILL after {@link #KILL_GRACE} for those still alive. When the shell
 * exits while a background child still holds its output open, the step waits at most
 * {@link #DRAIN} for the output to end, then finishes with the shell's exit status (the child
 * is left running: a daemon a step starts is not killed by its success).
 */
public final class ShellAction implements Action<ActionSpec.Shell> {

    /** The most of stdout, and of stderr, kept in the result: 1 MiB each. */
    public static final int MAX_CAPTURE_BYTES = 1024 * 1024;

    /** What ends a capture cut at {@link #MAX_CAPTURE_BYTES}. */
    public static final String TRUNCATED_MARKER = "[… output truncated at 1 MiB]";

    /** How long the processes have between SIGTERM and SIGKILL: 2 s. */
    public static final Duration KILL_GRACE = Duration.ofSeconds(2);

    /** How long a finished step waits for output a background child holds open: 1 s. */
    public static final Duration DRAIN = Duration.ofSeconds(1);

    /** util-linux's {@code setsid}: runs the shell as the leader of a new process group. */
    private static final String SETSID = findSetsid();

    private static String findSetsid() {
        for (String p : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (new File(p).canExecute()) {
                return p;
            }
        }
        return null;
    }

    /** 5 min. */
    @Override
    public Duration defaultTimeout() {
        return Duration.ofMinutes(5);
    }

    /** The rendered command, masked. */
    @Override
    public String target(ActionSpec.Shell spec, Renderer renderer, Inventory.Environment environment) {
        return renderer.shell(spec.command(), spec.allowOptionValues()).display();
    }

    /**
     * Runs the command and checks the expectations.
     *
     * @return succeeded; failed (the process could not start, or an expectation is false,
     *     fields kept); timed out (the process tree killed, the output so far kept)
     * @throws InterruptedException when interrupted; the process tree is killed first
     */
    @Override
    public ActionResult execute(ActionSpec.Shell spec, ActionContext ctx) throws InterruptedException {
        Renderer r = ctx.renderer();
        ShellCommand command = r.shell(spec.command(), spec.allowOptionValues());
        List<String> argv = new ArrayList<>();
        if (SETSID != null) {
            argv.add(SETSID);
        }
        argv.addAll(List.of("/bin/sh", "-c", command.script()));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (spec.workdir() != null) {
            pb.directory(new File(r.text(spec.workdir()).text()));
        }
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith(ShellCommand.VARIABLE_PREFIX));
        if (ctx.environment() != null && !ctx.environment().shellPath().isEmpty()) {
            env.put("PATH", path(ctx.environment().shellPath(), env.get("PATH")));
        }
        if (spec.env() != null) {
            spec.env().forEach((k, v) -> env.put(k, r.text(v).text()));
        }
        env.putAll(command.variables());

        long deadline = System.nanoTime() + ctx.timeout().toNanos();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return ActionResult.failed(
                    ActionResult.newFields(),
                    "cannot start /bin/sh: " + ctx.masker().mask(HttpSupport.firstLine(e.getMessage())));
        }
        Capture out = new Capture("stdout", p.getInputStream(), ctx.output());
        Capture err = new Capture("stderr", p.getErrorStream(), ctx.output());
        out.start();
        err.start();

        boolean exited;
        try {
            exited = p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            killTree(p);
            throw e;
        }
        if (!exited) {
            killTree(p);
            out.awaitQuietly(KILL_GRACE);
            err.awaitQuietly(KILL_GRACE);
            Map<String, Object> fields = ActionResult.newFields();
            fields.put("stdout", out.text());
            fields.put("stderr", err.text());
            return ActionResult.timedOut(fields, "killed after " + Durations.format(ctx.timeout()));
        }
        // The shell has exited; a background child may still hold its output open.
        long drainEnd = Math.min(deadline, System.nanoTime() + DRAIN.toNanos());
        boolean drained;
        try {
            drained = out.await(drainEnd) & err.await(drainEnd);
        } catch (InterruptedException e) {
            killTree(p);
            throw e;
        }
        if (!drained) {
            ctx.output().line("stderr", "(a background process still holds the output open: not waiting for it)");
            out.stop();
            err.stop();
        }
        Map<String, Object> fields = ActionResult.newFields();
        fields.put("exit", p.exitValue());
        fields.put("stdout", out.text());
        fields.put("stderr", err.text());
        List<String> problems = ExecExpectations.problems(
                spec.expect(), r, new ExecExpectations.Ended(p.exitValue(), null, out.text(), err.text()));
        if (!problems.isEmpty()) {
            return ActionResult.failed(fields, ctx.masker().mask(String.join("; ", problems)));
        }
        return ActionResult.ok(fields);
    }

    /**
     * The child's {@code PATH}: the environment's {@code shell_path} directories first (relative
     * ones made absolute against the working directory), then the inherited one.
     *
     * @param shellPath directories, in order
     * @param inherited the inherited {@code PATH}; may be null or empty
     */
    static String path(List<String> shellPath, String inherited) {
        List<String> parts = new ArrayList<>();
        for (String d : shellPath) {
            parts.add(Path.of(d).toAbsolutePath().normalize().toString());
        }
        if (inherited != null && !inherited.isEmpty()) {
            parts.add(inherited);
        }
        return String.join(File.pathSeparator, parts);
    }

    /**
     * Ends a process and all its descendants: SIGTERM to each, then SIGKILL to those still
     * alive after {@link #KILL_GRACE}. Waits at most the grace plus one second; keeps the
     * thread's interrupt status.
     */
    static void killTree(Process p) {
        List<ProcessHandle> all = new ArrayList<>();
        p.descendants().forEach(all::add);
        all.add(p.toHandle());
        signalGroup(p, "TERM");
        all.forEach(ProcessHandle::destroy);
        boolean interrupted = false;
        long graceEnd = System.nanoTime() + KILL_GRACE.toNanos();
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(0, graceEnd - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (TimeoutException | ExecutionException e) {
                // still alive: killed below
            }
        }
        signalGroup(p, "KILL");
        List<CompletableFuture<ProcessHandle>> forced = new ArrayList<>();
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
                forced.add(h.onExit());
            }
        }
        if (!forced.isEmpty()) {
            try {
                CompletableFuture.allOf(forced.toArray(new CompletableFuture<?>[0]))
                        .get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (TimeoutException | ExecutionException e) {
                // SIGKILL sent; nothing more can be done
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Signals the shell's whole process group (it is the group's leader when started through
     * {@code setsid}): children that left the tree (a double fork) but stayed in the group are
     * reached too.
     */
    private static void signalGroup(Process p, String signal) {
        if (SETSID == null) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + p.pid())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(1, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): the descendants are still signalled one by one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads one stream line by line on a daemon thread: live lines plus a bounded copy. */
    private static final class Capture {
        private final String source;
        private final InputStream in;
        private final Output output;
        private final StringBuilder text = new StringBuilder();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private long bytes;
        private boolean truncated;
        private final Thread thread;

        Capture(String source, InputStream in, Output output) {
            this.source = source;
            this.in = in;
            this.output = output;
            this.thread = new Thread(this::run, "shell-" + source);
            this.thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.line(source, line);
                    keep(line);
                }
            } catch (IOException e) {
                // the stream was closed (process killed): keep what was read
            } finally {
                done.complete(null);
            }
        }

        private synchronized void keep(String line) {
            if (truncated) {
                return;
            }
            long size = line.getBytes(StandardCharsets.UTF_8).length + 1L;
            if (bytes + size > MAX_CAPTURE_BYTES) {
                truncated = true;
                return;
            }
            if (bytes > 0) {
                text.append('\n');
            }
            text.append(line);
            bytes += size;
        }

        /** The captured text so far, with the marker when it was cut. */
        synchronized String text() {
            if (!truncated) {
                return text.toString();
            }
            return text.length() == 0 ? TRUNCATED_MARKER : text + "\n" + TRUNCATED_MARKER;
        }

        /** Waits for the end of the stream until the deadline (System.nanoTime); true if it ended. */
        boolean await(long deadline) throws InterruptedException {
            try {
                done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return true;
            } catch (TimeoutException e) {
                return false;
            } catch (ExecutionException e) {
                return true;
            }
        }

        /** Stops reading: the stream is closed, so a writer still holding it gets EPIPE. */
        void stop() {
            try {
                in.close();
            } catch (IOException e) {
                // already closed
            }
        }

        void awaitQuietly(Duration max) {
            try {
                await(System.nanoTime() + max.toNanos());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
