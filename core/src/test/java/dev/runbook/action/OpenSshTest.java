package dev.runbook.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.action.ActionContext.HostKeyPolicy;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Inventory;
import dev.runbook.template.ExpressionException;
import dev.runbook.template.Masker;
import dev.runbook.template.Renderer;
import dev.runbook.template.Scope;
import dev.runbook.testing.HostileValues;
import dev.runbook.testing.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshAction} against the real OpenSSH {@code sshd} (no {@code AcceptEnv}): hostile values
 * stay data on the remote host and never appear in its process list, and a stopped step leaves no
 * remote process behind (Ctrl-C, timeout). Runs in its own Surefire execution, outside the user
 * namespace of the other tests, so sshd can log the current user in.
 */
@Tag("host")
class OpenSshTest {

    @TempDir
    static Path tmp;

    private static OpenSshServer sshd;
    private static String user;
    private final Scope scope = new Scope();
    private final Masker masker = new Masker();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Output output = new Output() {
        @Override
        public void line(String source, String line) {
            lines.add(source + "|" + line);
        }

        @Override
        public void progress(String text) {}
    };

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(OpenSshServer.available(), "OpenSSH sshd is not installed (apt-get install openssh-server)");
        sshd = OpenSshServer.start(tmp);
        user = OpenSshServer.user();
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    private Inventory.Environment env() {
        Inventory.Host h = new Inventory.Host(
                "web1",
                "127.0.0.1",
                sshd.port(),
                user,
                sshd.clientKey().toString(),
                null,
                null,
                sshd.knownHosts().toString(),
                null);
        return new Inventory.Environment("test", false, Map.of(), Map.of(), Map.of("web1", h), Map.of(), List.of());
    }

    private ActionContext ctx(Resources resources, Duration timeout, Cancellation c) {
        return new ActionContext(
                "step",
                new Renderer(scope.toMap(), masker, false),
                timeout,
                env(),
                resources,
                output,
                masker,
                c,
                HostKeyPolicy.REFUSE,
                false,
                java.util.Map.of());
    }

    private static ActionSpec.Ssh spec(String command) {
        return new ActionSpec.Ssh(List.of("web1"), command, 1, ActionSpec.ExecExpect.DEFAULT, false);
    }

    @SuppressWarnings("unchecked")
    private static String stdout(ActionResult r) {
        Map<String, Object> hosts = (Map<String, Object>) r.fields().get("hosts");
        return (String) ((Map<String, Object>) hosts.get("web1")).get("stdout");
    }

    @Test
    void hostileValuesAreDataOnTheRemoteShell() throws Exception {
        Path markers = Files.createDirectories(tmp.resolve("markers"));
        List<String> corpus = new ArrayList<>();
        List<UnaryOperator<String>> wrappers = List.of(s -> s, s -> "'" + s + "\n");
        for (String core : HostileValues.cores()) {
            if (core.indexOf('\u0000') >= 0) {
                continue;
            }
            for (UnaryOperator<String> w : wrappers) {
                corpus.add(w.apply(core));
            }
        }
        List<String> shapes = List.of(
                "printf %s ${inputs.v}",
                "printf %s \"pre ${inputs.v} post\"", "# l'état du service\ncat <<EOF\n${inputs.v}\nEOF");
        int tried = 0;
        int refused = 0;
        try (Resources resources = new Resources()) {
            for (int i = 0; i < corpus.size(); i++) {
                String value =
                        corpus.get(i).replace("M", markers.resolve("m" + i).toString());
                scope.get("inputs").put("v", value);
                for (String shape : shapes) {
                    tried++;
                    ActionResult r;
                    try {
                        r = new SshAction(tmp, null)
                                .execute(spec(shape), ctx(resources, Duration.ofSeconds(20), new Cancellation()));
                    } catch (ExpressionException e) {
                        assertThat(e.getMessage()).as(shape + " / " + value).contains("starts with '-'");
                        refused++;
                        continue;
                    }
                    assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
                    String expected = shape.contains("cat <<")
                            ? value + "\n"
                            : shape.contains("pre ") ? "pre " + value + " post" : value;
                    assertThat(stdout(r)).as(shape + " / #" + i).isEqualTo(expected);
                }
            }
        }
        try (Stream<Path> m = Files.list(markers)) {
            assertThat(m.toList()).as("marker files created on the remote host").isEmpty();
        }
        System.out.printf(
                "ssh injection over OpenSSH: %d attacks tried (%d values x %d shapes), %d refused (option values),"
                        + " %d ran, 0 injected, outputs byte for byte%n",
                tried, corpus.size(), shapes.size(), refused, tried - refused);
        assertThat(tried - refused).isGreaterThan(200);
    }

    @Test
    void aSecretIsNotInTheRemoteProcessList() throws Exception {
        String secret = "s3cr3t-" + System.nanoTime();
        scope.get("secrets").put("TOKEN", secret);
        masker.add(secret);
        String ps = "test -n \"${secrets.TOKEN}\" && ps -eo args; cat /proc/$$/cmdline | tr '\\0' ' '";
        ActionResult r;
        try (Resources resources = new Resources()) {
            r = new SshAction(tmp, null).execute(spec(ps), ctx(resources, Duration.ofSeconds(20), new Cancellation()));
        }
        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(stdout(r)).contains("ps -eo args").doesNotContain(secret);
    }

    private static boolean running(String marker) throws Exception {
        Process p = new ProcessBuilder("pgrep", "-f", marker).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static boolean eventually(java.util.concurrent.Callable<Boolean> c) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (System.nanoTime() < end) {
            if (c.call()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void aTimeoutEndsTheRemoteCommandAndItsChildren() throws Exception {
        Path late = tmp.resolve("late-timeout");
        String sleep = "sleep 4.31" + (System.nanoTime() % 1000);
        String cmd = "(" + sleep + "; echo late >> " + late + ") & " + sleep + "; echo late >> " + late;
        ActionResult r;
        try (Resources resources = new Resources()) {
            r = new SshAction(tmp, null).execute(spec(cmd), ctx(resources, Duration.ofSeconds(1), new Cancellation()));
        }
        assertThat(r.status()).isEqualTo(ActionResult.Status.TIMED_OUT);
        assertThat(eventually(() -> !running(sleep)))
                .as("no remote process of the step remains")
                .isTrue();
        Thread.sleep(5000);
        assertThat(late).as("the remote command never reached its end").doesNotExist();
    }

    @Test
    void ctrlCEndsTheRemoteCommandAndItsChildren() throws Exception {
        Path late = tmp.resolve("late-ctrlc");
        String sleep = "sleep 4.32" + (System.nanoTime() % 1000);
        String cmd = "(" + sleep + "; echo late >> " + late + ") & echo started; " + sleep + "; echo late >> " + late;
        Cancellation c = new Cancellation();
        Throwable[] thrown = new Throwable[1];
        Thread t;
        try (Resources resources = new Resources()) {
            t = new Thread(() -> {
                try {
                    new SshAction(tmp, null).execute(spec(cmd), ctx(resources, Duration.ofSeconds(30), c));
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            t.start();
            assertThat(eventually(() -> lines.contains("web1|started"))).isTrue();
            c.cancel();
            t.interrupt();
            t.join(10_000);
        }
        assertThat(thrown[0]).isInstanceOf(InterruptedException.class);
        assertThat(eventually(() -> !running(sleep)))
                .as("no remote process of the step remains")
                .isTrue();
        Thread.sleep(5000);
        assertThat(late).as("the remote command never reached its end").doesNotExist();
    }

    @Test
    void aBackgroundChildHoldingTheOutputDoesNotHoldTheStep() throws Exception {
        String sleep = "sleep 6.33" + (System.nanoTime() % 1000);
        long t0 = System.nanoTime();
        ActionResult r;
        try (Resources resources = new Resources()) {
            r = new SshAction(tmp, null)
                    .execute(spec(sleep + " & echo done"), ctx(resources, Duration.ofSeconds(30), new Cancellation()));
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(r.status()).as(r.error()).isEqualTo(ActionResult.Status.SUCCEEDED);
        assertThat(stdout(r)).isEqualTo("done\n");
        assertThat(ms).as("finished after a short drain, not after the child").isLessThan(5000);
    }
}
