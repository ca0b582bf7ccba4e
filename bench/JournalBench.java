import dev.runbook.journal.JournalWriter;
import dev.runbook.template.Masker;
import dev.runbook.template.Renderer;
import dev.runbook.template.Scope;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Costs on the per-step path, each as a ratio to a baseline run in the same process:
 * <ul>
 *   <li>an incident-log event (JSON, masking, SHA-256 chain, fsync) vs a raw write + fsync
 *       of a line of the same size: what the journal adds to the disk's own cost;</li>
 *   <li>rendering a shell command with two templates (JEXL, context-aware quoting) vs
 *       {@code String.replace} of the same placeholders.</li>
 * </ul>
 * Run with {@code bench/run} after {@code ./mvnw -B -q package -DskipTests}.
 */
public final class JournalBench {

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        Path dir = Files.createTempDirectory("runbook-bench");
        try {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("step", "restart-backend");
            fields.put("attempt", 1);
            fields.put("status", "succeeded");
            fields.put("duration_ms", 110);
            fields.put("result", Map.of("exit", 0, "stdout", "x".repeat(400)));
            Masker masker = new Masker();
            masker.add("s3cr3t-token");

            String line = "{\"seq\":1,\"payload\":\"" + "x".repeat(700) + "\"}\n";
            double raw = time(events, () -> rawFsync(dir.resolve("raw.jsonl"), line, events));
            double journal = time(events, () -> journal(dir, masker, fields, events));
            System.out.printf("journal event vs raw write+fsync: %.3f ms vs %.3f ms per event, ratio %.2f%n",
                    journal, raw, journal / raw);

            Scope scope = new Scope();
            scope.get("inputs").put("service", "akig-backend");
            scope.get("vars").put("host", "web1");
            Renderer renderer = new Renderer(scope.toMap(), masker, false);
            String template = "pm2 restart ${inputs.service} --host ${vars.host}";
            int n = 20_000;
            double render = time(n, () -> {
                for (int i = 0; i < n; i++) {
                    renderer.shell(template);
                }
            });
            double replace = time(n, () -> {
                for (int i = 0; i < n; i++) {
                    template.replace("${inputs.service}", "'akig-backend'").replace("${vars.host}", "'web1'");
                }
            });
            System.out.printf("shell template render vs String.replace: %.4f ms vs %.4f ms per command, ratio %.1f%n",
                    render, replace, render / replace);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Milliseconds per operation: the best of 3 runs after one warm-up run. */
    private static double time(int ops, Body body) throws Exception {
        body.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            body.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6 / ops);
        }
        return best;
    }

    private static void rawFsync(Path file, String line, int events) throws Exception {
        Files.deleteIfExists(file);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < events; i++) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(false);
            }
        }
    }

    private static void journal(Path dir, Masker masker, Map<String, Object> fields, int events) throws Exception {
        Path sub = Files.createTempDirectory(dir, "j");
        try (JournalWriter w = JournalWriter.create(sub, "BENCH", Clock.systemUTC().instant(), masker, Clock.systemUTC())) {
            for (int i = 0; i < events; i++) {
                w.append("step.finished", fields);
            }
        }
    }
}
