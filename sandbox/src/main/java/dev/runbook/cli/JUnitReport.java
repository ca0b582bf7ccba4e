package dev.runbook.cli;

import dev.runbook.report.Markup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The JUnit XML report of {@code runbook drill --junit FILE}, in the common Surefire/Ant shape
 * CI systems read: one {@code <testsuite>} with one {@code <testcase classname="drill.RUNBOOK"
 * name="FAULT" time="SECONDS">} per drill, a {@code <failure message="…"/>} for a failed one,
 * and the incident log's path in {@code <system-out>}.
 */
final class JUnitReport {

    /**
     * One drill's result.
     *
     * @param runbook the runbook id
     * @param fault the fault name
     * @param seconds how long it took
     * @param failure why it failed; null when it passed
     * @param log the incident log's path; may be null
     */
    record Case(String runbook, String fault, double seconds, String failure, String log) {}

    private JUnitReport() {}

    /** Writes the report (UTF-8), creating parent directories. */
    static void write(Path file, String suite, List<Case> cases) throws IOException {
        long failures = cases.stream().filter(c -> c.failure() != null).count();
        double total = cases.stream().mapToDouble(Case::seconds).sum();
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(
                Locale.ROOT,
                "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\""
                        + " skipped=\"0\" time=\"%.3f\" timestamp=\"%s\">%n",
                Markup.esc(suite),
                cases.size(),
                failures,
                total,
                Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z")));
        for (Case c : cases) {
            sb.append(String.format(
                    Locale.ROOT,
                    "  <testcase classname=\"drill.%s\" name=\"%s\" time=\"%.3f\">%n",
                    Markup.esc(c.runbook()),
                    Markup.esc(c.fault()),
                    c.seconds()));
            if (c.failure() != null) {
                sb.append("    <failure message=\"")
                        .append(Markup.esc(c.failure()))
                        .append("\" type=\"DrillFailure\"/>\n");
            }
            if (c.log() != null) {
                sb.append("    <system-out>incident log: ")
                        .append(Markup.esc(c.log()))
                        .append("</system-out>\n");
            }
            sb.append("  </testcase>\n");
        }
        sb.append("</testsuite>\n");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
}
