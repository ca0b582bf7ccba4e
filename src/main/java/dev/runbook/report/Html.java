package dev.runbook.report;

/** HTML escaping for text and attribute values. */
final class Html {

    private Html() {}

    /** Escapes {@code & < > " '}; null becomes "-". */
    static String esc(String s) {
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
                default -> o.append(c);
            }
        }
        return o.toString();
    }
}
