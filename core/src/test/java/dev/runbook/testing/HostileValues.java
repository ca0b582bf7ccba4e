package dev.runbook.testing;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The corpus of hostile values of the injection tests: cores that each try to create the marker
 * file {@code M}, and wrappers that make more attacks of each core (quotes, newlines, comments,
 * a long prefix).
 */
public final class HostileValues {

    private HostileValues() {}

    /** The attacks' cores; {@code M} is replaced by the marker path. */
    public static List<String> cores() {
        return List.of(
                "x; touch M",
                "x && touch M",
                "x || touch M",
                "x | touch M",
                "x & touch M",
                "$(touch M)",
                "`touch M`",
                "'; touch M; '",
                "\"; touch M; \"",
                "'\"; touch M; #",
                "\ntouch M\n",
                "x\ntouch M",
                "x\r\ntouch M",
                ") ; touch M ; (",
                ")) ; touch M ; ((",
                "a) touch M;; *) touch M;;",
                "esac; touch M; case x in",
                "$'\\x27'; touch M",
                "$'it\\'s'; touch M",
                "a[$(touch M)]",
                "x[`touch M`]",
                "1 + a[$(touch M)]",
                "EOF\ntouch M\nEOF",
                "\nEOF\ntouch M\ncat <<EOF\n",
                "${IFS}touch${IFS}M",
                "$(IFS=_;a=touch_M;$a)",
                "\\\"; touch M; \\\"",
                "\\'; touch M; \\'",
                "# ; touch M",
                "x #\ntouch M",
                "-o M",
                "--output=M",
                "$((1+1)); touch M",
                "${x:-$(touch M)}",
                "*; touch M",
                "~; touch M",
                "‘; touch M; ’",
                "“; touch M; ”",
                "﹔touch M",
                "x\u0000; touch M",
                "<(touch M)",
                ">(touch M)",
                "> M",
                ">> M",
                "< /etc/passwd; touch M");
    }

    /** Ways of wrapping a core: each makes another attack of the corpus. */
    public static List<UnaryOperator<String>> wrappers() {
        return List.of(
                s -> s,
                s -> " " + s,
                s -> s + " ",
                s -> "a" + s,
                s -> s + "b",
                s -> "'" + s,
                s -> "\"" + s,
                s -> s + "'",
                s -> s + "\"",
                s -> "\\" + s,
                s -> "\n" + s + "\n",
                s -> "#" + s,
                s -> "x".repeat(1000) + s);
    }
}
