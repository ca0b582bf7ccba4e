package dev.runbook.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.HostileValues;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks the contract's "Injection-safe by construction" for {@code shell} commands: a corpus of
 * hostile values (each tries to create its own marker file), in every position of many command
 * shapes, run by {@code /bin/sh}, {@code bash} and {@code dash}. An attack holds when the command
 * is refused before it runs (validate's rule) or runs without creating its marker. Where a shape
 * prints the value, the value must arrive byte for byte.
 */
class ShellInjectionPropertyTest {

    @TempDir
    Path dir;

    /**
     * A command shape: the command with {@code V} where the template stands, and what it must
     * print for a value (null: its output is not checked).
     */
    record Shape(String command, UnaryOperator<String> prints) {}

    static List<Shape> shapes() {
        String v = "${inputs.v}";
        return List.of(
                new Shape("printf %s " + v, s -> s),
                new Shape("printf %s \"" + v + "\"", s -> s),
                new Shape("printf %s \"pre " + v + " post\"", s -> "pre " + s + " post"),
                new Shape("# l'état du service\nprintf %s " + v, s -> s),
                new Shape("printf ok # it's " + v, s -> "ok"),
                new Shape("cat <<EOF\n" + v + "\nEOF", s -> s + "\n"),
                new Shape("cat <<-EOF\n\t" + v + "\n\tEOF", s -> s + "\n"),
                new Shape("cat <<'EOF'\n" + v + "\nEOF", null),
                new Shape("sh -c \"printf %s " + v + "\"", null),
                new Shape("sh -c 'printf %s \"$1\"' sh " + v, s -> s),
                new Shape("case " + v + " in a) printf a;; *) printf other;; esac", null),
                new Shape("x=$(case a in a) printf %s " + v + ";; esac); printf %s \"$x\"", null),
                new Shape("printf %s \"$(printf %s " + v + ")\"", null),
                new Shape("printf %s \"$(printf %s \"" + v + "\")\"", null),
                new Shape("printf %s $(( " + v + " + 1 ))", null),
                new Shape("printf %s " + v + " > /dev/null; printf done", s -> "done"),
                new Shape("printf %s $'it\\'s' " + v, null),
                new Shape("v=" + v + "; printf %s \"$v\"", s -> s),
                new Shape("for x in " + v + "; do printf %s \"$x\"; done", null),
                new Shape("if [ -n " + v + " ]; then printf y; fi", null),
                new Shape("printf %s '" + v + "'", null),
                new Shape("eval printf %s " + v, null),
                new Shape("printf %s " + v + " | sh", null),
                new Shape("test \"" + v + "\" = x || printf no", null),
                new Shape("sort -- " + v + " </dev/null 2>/dev/null; printf sorted", s -> "sorted"),
                new Shape("printf %s `printf %s " + v + "`", null),
                new Shape("(printf %s " + v + ")", s -> s),
                new Shape("{ printf %s " + v + "; }", s -> s),
                new Shape("[[ " + v + " == a ]] || printf no", null),
                new Shape("f() { printf %s \"$1\"; }; f " + v, s -> s),
                new Shape("printf %s " + v + " 2>&1 | cat", s -> s));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // 40,000 runs: about 5 min on 2 cores; the default is 10 min
    void hostileValuesAreDataForShBashAndDash() throws Exception {
        List<String> shells = Stream.of(
                        List.of("/bin/sh"),
                        List.of("/bin/bash", "/usr/bin/bash"),
                        List.of("/bin/dash", "/usr/bin/dash"))
                .map(c -> c.stream().filter(p -> new File(p).canExecute()).findFirst())
                .flatMap(java.util.Optional::stream)
                .toList();
        Path markers = Files.createDirectories(dir.resolve("markers"));
        List<String> corpus = new ArrayList<>();
        for (String core : HostileValues.cores()) {
            for (UnaryOperator<String> w : HostileValues.wrappers()) {
                corpus.add(w.apply(core));
            }
        }
        assertThat(corpus.size()).as("hostile values").isGreaterThanOrEqualTo(500);
        assertThat(shapes().size()).as("command shapes").isGreaterThanOrEqualTo(20);
        int tried = 0;
        int refused = 0;
        int ran = 0;
        int checkedOutputs = 0;
        for (Shape shape : shapes()) {
            Map<Integer, String> runnable = new LinkedHashMap<>();
            String script = null;
            for (int i = 0; i < corpus.size(); i++) {
                String value =
                        corpus.get(i).replace("M", markers.resolve("m" + i).toString());
                Scope scope = new Scope();
                scope.get("inputs").put("v", value);
                Renderer r = new Renderer(scope.toMap(), new Masker(), false);
                try {
                    ShellCommand c = r.shell(shape.command(), false);
                    assertThat(c.script()).as("no value in the command text").doesNotContain(value);
                    script = c.script();
                    runnable.put(i, value);
                } catch (ExpressionException e) {
                    refused += shells.size();
                }
                tried += shells.size();
            }
            if (runnable.isEmpty()) {
                continue;
            }
            for (String shell : shells) {
                Path out = Files.createDirectories(dir.resolve("out-" + Math.abs((shell + shape).hashCode())));
                run(shell, script, runnable, out);
                ran += runnable.size();
                try (Stream<Path> m = Files.list(markers)) {
                    assertThat(m.toList())
                            .as("markers after %s with %s", shape.command(), shell)
                            .isEmpty();
                }
                if (shape.prints() != null) {
                    for (Map.Entry<Integer, String> e : runnable.entrySet()) {
                        if (e.getValue().indexOf('\u0000') >= 0) {
                            continue; // an environment variable ends at NUL: the value cannot arrive whole
                        }
                        String got = Files.readString(out.resolve("o" + e.getKey()), StandardCharsets.UTF_8);
                        assertThat(got)
                                .as("%s with %s, value #%d", shape.command(), shell, e.getKey())
                                .isEqualTo(shape.prints().apply(e.getValue()));
                        checkedOutputs++;
                    }
                }
            }
        }
        System.out.printf(
                "shell injection: %d attacks tried (%d values x %d shapes x %d shells): %d refused before running,"
                        + " %d ran, 0 injected; %d outputs checked byte for byte%n",
                tried, corpus.size(), shapes().size(), shells.size(), refused, ran, checkedOutputs);
        assertThat(ran).as("attacks that really ran").isGreaterThan(corpus.size() * 10);
    }

    /**
     * Runs the script once per value in one driver process of the shell under test: each value is
     * read back from an octal-encoded line (so the driver's own text never holds it), exported as
     * RUNBOOK_V1, and the script is evaluated in a subshell, as {@code sh -c} would.
     */
    private static void run(String shell, String script, Map<Integer, String> values, Path out)
            throws IOException, InterruptedException {
        String driver = "while IFS= read -r i && IFS= read -r l; do v=$(printf \"%b_\" \"$l\"); v=${v%_};"
                + " export RUNBOOK_V1=\"$v\"; ( eval \"$RUNBOOK_SCRIPT\" ) >\"$OUT/o$i\" 2>/dev/null </dev/null;"
                + " done";
        ProcessBuilder pb = new ProcessBuilder(shell, "-c", driver).redirectErrorStream(true);
        pb.environment().put("RUNBOOK_SCRIPT", script);
        pb.environment().put("OUT", out.toString());
        pb.directory(out.toFile());
        Process p = pb.start();
        StringBuilder in = new StringBuilder();
        for (Map.Entry<Integer, String> e : values.entrySet()) {
            in.append(e.getKey()).append('\n');
            for (byte b : e.getValue().getBytes(StandardCharsets.UTF_8)) {
                in.append(String.format("\\0%03o", b & 0xff));
            }
            in.append('\n');
        }
        Thread writer = new Thread(() -> {
            try (var os = p.getOutputStream()) {
                os.write(in.toString().getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the driver died: its exit is checked below
            }
        });
        writer.start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(shell + " finished").isTrue();
        writer.join();
    }
}
