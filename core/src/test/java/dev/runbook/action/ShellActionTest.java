package dev.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.model.ActionSpec;
import dev.runbook.model.Inventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ShellAction} with real {@code /bin/sh} processes. */
class ShellActionTest {

    private final ShellAction action = new ShellAction();

    private static ActionSpec.Shell sh(String command) {
        return new ActionSpec.Shell(command, null, Map.of(), ActionSpec.ExecExpect.DEFAULT, false);
    }

    private static ActionSpec.Shell sh(String command, Integer exit, String contains, String matches) {
        return new ActionSpec.Shell(command, null, Map.of(), new ActionSpec.ExecExpect(exit, contains, matches), false);
    }

    @Test
    void capturesExitStdoutAndStderrAndStreamsLinesLive() throws Exception {
        Contexts c = new Contexts();
        ActionResult r = action.execute(sh("echo out1; echo err1 >&2; echo out2; exit 3", 3, null, null), c.build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(r.fields())
                .containsEntry("exit", 3)
                .containsEntry("stdout", "out1\nout2")
                .containsEntry("stderr", "err1");
        assertThat(c.output.lines).contains("stdout: out1", "stdout: out2", "stderr: err1");
        assertThat(c.output.lines.indexOf("stdout: out1")).isLessThan(c.output.lines.indexOf("stdout: out2"));
    }

    @Test
    void aNonZeroExitFailsByDefaultWithFieldsKept() throws Exception {
        ActionResult r = action.execute(sh("echo partial; exit 2"), new Contexts().build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).isEqualTo("exit 2 (expected 0)");
        assertThat(r.fields()).containsEntry("exit", 2).containsEntry("stdout", "partial");
    }

    @Test
    void stdoutContainsAndMatches() throws Exception {
        Contexts c = new Contexts().input("v", "17.4");
        ActionResult ok = action.execute(
                sh("echo 'server version 17.4 ready'", null, "${inputs.v}", "version \\d+\\.\\d+"), c.build());
        ActionResult noContains = action.execute(sh("echo hello", null, "bye", null), c.build());
        ActionResult noMatch = action.execute(sh("echo hello", null, null, "^world$"), c.build());

        assertThat(ok.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(noContains.error()).isEqualTo("stdout does not contain \"bye\"");
        assertThat(noMatch.error()).isEqualTo("stdout does not match /^world$/");
        assertThat(noMatch.status()).isEqualTo(ActionResult.Status.FAILED);
    }

    @Test
    void workdirAndEnvAreRenderedAndAddedToTheInheritedEnvironment(@TempDir Path dir) throws Exception {
        Contexts c = new Contexts().input("dir", dir.toString()).input("name", "ops");
        ActionSpec.Shell spec = new ActionSpec.Shell(
                "pwd; echo \"$GREETING\"; test -n \"$PATH\" && echo path-kept",
                "${inputs.dir}",
                Map.of("GREETING", "hello ${inputs.name}"),
                null,
                false);

        ActionResult r = action.execute(spec, c.build());

        assertThat(r.error()).isNull();
        assertThat(r.fields()).containsEntry("stdout", dir.toRealPath() + "\nhello ops\npath-kept");
    }

    @Test
    void shellPathOfTheEnvironmentIsPrependedToPath(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path hello = bin.resolve("hello");
        Files.writeString(hello, "#!/bin/sh\necho \"hello from shell_path $1\"\n");
        hello.toFile().setExecutable(true);
        ActionSpec.Shell spec = sh("hello ops");

        ActionResult without = action.execute(spec, new Contexts().build());
        Contexts c = new Contexts();
        c.environment = new Inventory.Environment(
                "sandbox", false, Map.of(), Map.of(), Map.of(), Map.of(), List.of(bin.toString()));
        ActionResult with = action.execute(spec, c.build());

        assertThat(without.fields()).containsEntry("exit", 127);
        assertThat(with.error()).isNull();
        assertThat(with.fields()).containsEntry("stdout", "hello from shell_path ops");
        assertThat(ShellAction.path(List.of("rel/bin", "/abs"), "/usr/bin"))
                .isEqualTo(Path.of("rel/bin").toAbsolutePath() + ":/abs:/usr/bin");
    }

    @Test
    void stdinIsEmpty() throws Exception {
        ActionResult r = action.execute(sh("cat; echo done"), new Contexts().build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(r.fields()).containsEntry("stdout", "done");
    }

    @Test
    void anInjectionAttemptIsEchoedLiterallyAndRunsNothing() throws Exception {
        Path pwned = Path.of("/tmp/pwned-" + UUID.randomUUID());
        String value = "x'; touch " + pwned + " #";
        Contexts c = new Contexts().input("v", value);
        ActionSpec.Shell spec = sh("echo ${inputs.v}");

        ActionResult r = action.execute(spec, c.build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(r.fields()).containsEntry("stdout", value);
        assertThat(Files.exists(pwned)).isFalse();
        assertThat(action.target(spec, c.renderer(), null)).isEqualTo("echo 'x'\"'\"'; touch " + pwned + " #'");
    }

    @Test
    void targetMasksSecrets() {
        Contexts c = new Contexts().secret("TOKEN", "hunter2-hunter2");
        assertThat(action.target(sh("curl -H ${secrets.TOKEN} http://x"), c.renderer(), null))
                .isEqualTo("curl -H '****' http://x");
    }

    @Test
    void aTimeoutKillsTheShellAndItsDescendants() throws Exception {
        Contexts c = new Contexts().timeout(Duration.ofMillis(500));
        ActionSpec.Shell spec = sh("sleep 30 & echo bg $!; sh -c 'echo fg $$; exec sleep 30'; wait");

        ActionResult r = action.execute(spec, c.build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.TIMED_OUT);
        assertThat(r.error()).isEqualTo("killed after 500ms");
        assertThat(r.fields()).doesNotContainKey("exit");
        assertThat((String) r.fields().get("stdout")).contains("bg ", "fg ");
        List<Long> pids = pids(c.output.lines, "(?:bg|fg) (\\d+)");
        assertThat(pids).hasSize(2);
        for (long pid : pids) {
            assertThat(awaitGone(pid)).as("pid %d still running", pid).isTrue();
        }
    }

    @Test
    void interruptKillsTheProcessTreeAndRethrows() throws Exception {
        Contexts c = new Contexts().timeout(Duration.ofSeconds(60));
        CountDownLatch started = new CountDownLatch(1);
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Output out = new Output() {
            @Override
            public void line(String source, String line) {
                lines.add(line);
                if (line.startsWith("child ")) {
                    started.countDown();
                }
            }

            @Override
            public void progress(String text) {}
        };
        ActionContext ctx = new ActionContext(
                "step-id",
                c.renderer(),
                c.timeout,
                null,
                c.resources,
                out,
                c.masker,
                c.cancellation,
                ActionContext.HostKeyPolicy.REFUSE,
                false,
                java.util.Map.of());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                action.execute(sh("echo shell $$; sleep 30 & echo child $!; wait"), ctx);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        t.interrupt();
        t.join(10_000);

        assertThat(t.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        List<Long> pids = pids(lines, "(?:shell|child) (\\d+)");
        assertThat(pids).hasSize(2);
        for (long pid : pids) {
            assertThat(awaitGone(pid)).as("pid %d still running", pid).isTrue();
        }
    }

    @Test
    void outputOverOneMebibyteIsCutWithAMarker() throws Exception {
        ActionResult r =
                action.execute(sh("head -c 2000000 /dev/zero | tr '\\0' a | fold -w 1000"), new Contexts().build());

        String stdout = (String) r.fields().get("stdout");
        assertThat(r.status()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(stdout).endsWith(ShellAction.TRUNCATED_MARKER);
        assertThat(stdout.length()).isLessThanOrEqualTo(ShellAction.MAX_CAPTURE_BYTES + 100);
        assertThat(stdout.length()).isGreaterThan(ShellAction.MAX_CAPTURE_BYTES - 2000);
    }

    @Test
    void aMissingWorkdirFailsWithOneLine() throws Exception {
        ActionSpec.Shell spec =
                new ActionSpec.Shell("true", "/no/such/dir-" + UUID.randomUUID(), Map.of(), null, false);

        ActionResult r = action.execute(spec, new Contexts().build());

        assertThat(r.status()).isEqualTo(ActionResult.Status.FAILED);
        assertThat(r.error()).startsWith("cannot start /bin/sh: ").doesNotContain("\n");
    }

    private static List<Long> pids(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        List<Long> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                out.add(Long.parseLong(m.group(1)));
            }
        }
        return out;
    }

    /**
     * True once the process is gone, or only a zombie waiting for a parent that does not
     * reap (a killed orphan under a PID 1 that is not an init); false after 5 s.
     */
    private static boolean awaitGone(long pid) throws InterruptedException, IOException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || !h.get().isAlive() || zombie(pid)) {
                return true;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < end);
        return false;
    }

    private static boolean zombie(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return true;
        }
        try {
            String s = Files.readString(stat);
            return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
