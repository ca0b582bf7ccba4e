package dev.runbook.report;

/**
 * The one escaper for markup (HTML, SVG, XML such as JUnit reports): every string that comes
 * from a log, a runbook or a result goes through {@link #esc} before it is written into an
 * element or an attribute value.
 */
public final class Markup {

    private Markup() {}

    /**
     * Escapes {@code & < > " '} (as {@code &amp; &lt; &gt; &quot; &#39;}, valid in HTML and XML
     * 1.0 alike) and drops the control characters XML 1.0 forbids (all below U+0020 but tab,
     * newline and carriage return).
     *
     * @param s the text; null becomes "-"
     * @return text safe in element content and in quoted attribute values
     */
    public static String esc(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder o = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> o.append("&amp;");
                case '<' -> o.append("&lt;");
                case '>' -> o.append("&gt;");
                case '"' -> o.append("&quot;");
                case '\'' -> o.append("&#39;");
                default -> {
                    if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
                        o.append(c);
                    }
                }
            }
        }
        return o.toString();
    }

    /**
     * A value made safe as a CSS class or an id token: letters, digits, {@code -} and {@code _}
     * kept, anything else replaced by {@code _}.
     *
     * @param s the text (a status or an event type read from a log); null becomes "-"
     */
    public static String token(String s) {
        return s == null ? "-" : s.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}
