package dev.runbook.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every log-derived string of the HTML and SVG exports goes through one escaper: a forged log
 * with markup in every field yields no element, attribute or script of its own (checked in
 * Chromium by {@code HtmlReportChromiumTest}; here on the text, everywhere Chromium is absent).
 */
class ExportEscapingTest {

    @TempDir
    Path dir;

    @Test
    void noMarkupFromTheLogReachesTheHtml() throws Exception {
        Incident in = IncidentParser.load(Fixtures.markupEverywhere(dir));
        assertThat(in.integrity().ok()).isTrue();
        String html = HtmlReport.render(in);
        assertThat(html)
                .contains("&lt;img id=&quot;pwned&quot;")
                .doesNotContain("<img")
                .doesNotContain("<script")
                .doesNotContain("<svg id=\"pwned-svg\"")
                .doesNotContain("onerror=\"")
                .doesNotContain("onload=\"");
        String md = MarkdownReport.render(in);
        assertThat(md).doesNotContain("<img id=\"pwned\"").doesNotContain("<script>");
    }
}
