package dev.runbook.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.runbook.testing.Chromium;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML export loaded in headless Chromium (Debian's {@code chromium}): the rendered
 * DOM holds the header and one SVG bar per attempt, and the screenshot shows the bars'
 * colours. Without chromium the test fails when {@code CI} is set and is skipped otherwise.
 */
class HtmlReportChromiumTest {

    @TempDir
    Path dir;

    private String chromium;

    @BeforeEach
    void findChromium() {
        chromium = Chromium.require();
    }

    @Test
    void renderedPageHoldsHeaderAndOneBarPerAttempt() throws Exception {
        Incident in = IncidentParser.load(Fixtures.resolved(dir.resolve("logs")));
        Path html = dir.resolve("postmortem.html");
        Files.writeString(html, HtmlReport.render(in), StandardCharsets.UTF_8);

        String dom = run("dom", "--dump-dom", html.toUri().toString());
        assertThat(dom)
                .contains("<h1 id=\"title\">Post-mortem: 20261121T102345Z-RB-P1-003</h1>")
                .contains("<strong id=\"outcome\">resolved</strong>")
                .contains("Base de données indisponible");
        assertThat(count(dom, "<rect class=\"bar bar-"))
                .isEqualTo(in.attempts().size())
                .isEqualTo(4);
        assertThat(count(dom, "class=\"bar bar-failed\"")).isEqualTo(1);
        assertThat(count(dom, "class=\"bar bar-timed_out\"")).isEqualTo(1);
        assertThat(count(dom, "class=\"marker decision\"")).isEqualTo(2);
        assertThat(count(dom, "class=\"marker note\"")).isEqualTo(2);
        assertThat(dom).contains("class=\"sla-line sla-respond\"").contains("SLA resolve 30m → (after the end");
        assertThat(dom).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=\"http");

        Path png = dir.resolve("shot.png");
        run(
                "shot",
                "--screenshot=" + png,
                "--window-size=1200,2000",
                html.toUri().toString());
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(20_000L);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1200);
        assertThat(img.getHeight()).isEqualTo(2000);
        assertThat(pixels(img, 0x2e7d32)).as("green (succeeded) bar pixels").isGreaterThan(200);
        assertThat(pixels(img, 0xc62828)).as("red (failed) bar pixels").isGreaterThan(50);
    }

    @Test
    void tamperedAndForcedPageShowsTheWarningBanner() throws Exception {
        Incident ok = IncidentParser.load(Fixtures.rolledBack(dir.resolve("logs")));
        Incident bad = new Incident(
                ok.id(),
                ok.file(),
                new Integrity(false, 11, 4, "prev does not match", false),
                ok.runbookId(),
                ok.runbookTitle(),
                ok.severity(),
                ok.runbookPath(),
                ok.runbookSha256(),
                ok.env(),
                ok.mode(),
                ok.operators(),
                ok.host(),
                ok.inputs(),
                ok.toolVersion(),
                ok.start(),
                ok.end(),
                ok.closed(),
                ok.outcome(),
                ok.verified(),
                ok.durationMs(),
                ok.respondTarget(),
                ok.resolveTarget(),
                ok.acknowledged(),
                ok.breachedSlas(),
                ok.timeline(),
                ok.attempts(),
                ok.steps(),
                ok.holds(),
                ok.severities());
        Path html = dir.resolve("bad.html");
        Files.writeString(html, HtmlReport.render(bad), StandardCharsets.UTF_8);
        String dom = run("bad", "--dump-dom", html.toUri().toString());
        assertThat(dom)
                .contains("id=\"integrity-warning\"")
                .contains("FAILED integrity verification (line 4")
                .contains("class=\"rollback-line\"")
                .contains("class=\"sla-line sla-resolve\"");
    }

    /** A forged log whose every field holds markup: the page shows it as text, never as elements. */
    @Test
    void markupFromAForgedLogIsOnlyText() throws Exception {
        Path log = Fixtures.markupEverywhere(dir.resolve("forged"));
        Incident in = IncidentParser.load(log);
        Path html = dir.resolve("forged.html");
        Files.writeString(html, HtmlReport.render(in), StandardCharsets.UTF_8);
        String dom = run("forged", "--dump-dom", html.toUri().toString());
        assertThat(dom).contains("&lt;img id=\"pwned\"");
        assertThat(dom)
                .as("no element from the log in the DOM")
                .doesNotContain("<img id=\"pwned\"")
                .doesNotContain("<script")
                .doesNotContain("<svg id=\"pwned-svg\"");
    }

    private String run(String name, String... args) throws Exception {
        List<String> cmd = Chromium.command(chromium, dir.resolve("profile-" + name));
        cmd.addAll(List.of(args));
        File out = dir.resolve(name + ".out").toFile();
        File err = dir.resolve(name + ".err").toFile();
        Process p =
                new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + cmd);
        }
        assertThat(p.exitValue())
                .as("chromium exit; stderr:%n%s", Files.readString(err.toPath()))
                .isZero();
        return Files.readString(out.toPath(), StandardCharsets.UTF_8);
    }

    private static int count(String s, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Pixels within a small distance of an RGB colour (anti-aliasing and colour management shift a little). */
    private static int pixels(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                int dr = Math.abs(((c >> 16) & 0xff) - ((rgb >> 16) & 0xff));
                int dg = Math.abs(((c >> 8) & 0xff) - ((rgb >> 8) & 0xff));
                int db = Math.abs((c & 0xff) - (rgb & 0xff));
                if (dr + dg + db < 24) {
                    n++;
                }
            }
        }
        return n;
    }
}
