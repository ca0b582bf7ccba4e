package dev.runbook.template;

/**
 * Shell quoting that depends on where a template stands in a command (POSIX.1-2017,
 * XCU 2.2 "Quoting"), so an interpolated value is always literal text:
 * <ul>
 *   <li>outside quotes: one single-quoted word ({@code 'it'"'"'s'});</li>
 *   <li>inside double quotes: {@code \ $ ` "} backslash-escaped, the only characters that
 *       keep a meaning there;</li>
 *   <li>inside single quotes: each {@code '} written {@code '\''} (close, escaped quote, reopen);</li>
 *   <li>inside {@code $(...)}: as above, for the nested command's own quoting;</li>
 *   <li>inside backticks: refused (their escaping rules differ; write {@code $(...)}).</li>
 * </ul>
 * A {@link Lexer} follows the command's literal text to know the context.
 */
public final class ShellQuote {

    private ShellQuote() {}

    /** The value as one single-quoted word; the empty string gives {@code ''}. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    /** Where the next character of a command stands. */
    public enum Context {
        /** Not quoted. */
        NONE,
        /** Inside '...'. */
        SINGLE,
        /** Inside "...". */
        DOUBLE,
        /** Inside `...` (refused). */
        SUBSTITUTION
    }

    /**
     * Quotes a value for the context it is inserted in.
     *
     * @throws ExpressionException inside backticks
     */
    public static String quote(String value, Context context) {
        switch (context) {
            case NONE:
                return quote(value);
            case DOUBLE:
                return value.replaceAll("([\\\\$`\"])", "\\\\$1");
            case SINGLE:
                return value.replace("'", "'\\''");
            default:
                throw new ExpressionException(
                        "a template inside backticks cannot be quoted safely;" + " write $(...) instead");
        }
    }

    /**
     * Checks, before any run, that no template of a shell command stands where it cannot be
     * quoted (inside backticks).
     *
     * @return the problem, or null when every template can be quoted
     */
    public static String unquotable(Template command) {
        Lexer lexer = new Lexer();
        for (Template.Part p : command.parts()) {
            if (p instanceof Template.Text t) {
                lexer.feed(t.text());
            } else if (lexer.context() == Context.SUBSTITUTION) {
                return "template ${" + ((Template.Expr) p).expression().source()
                        + "} is inside backticks, where it cannot be quoted safely: write $(...) instead";
            }
        }
        return null;
    }

    /**
     * Follows a command's literal text, character by character, to know the quoting context.
     * {@code $(...)} opens a nested command with its own quoting (a stack of frames);
     * backticks, whose escaping rules differ, are refused.
     */
    public static final class Lexer {

        /** The quoting state of one (possibly nested) command. */
        private static final class Frame {
            boolean single;
            boolean dbl;
            int parens;
        }

        private final java.util.ArrayDeque<Frame> frames = new java.util.ArrayDeque<>();
        private boolean backtick;
        private boolean escaped;
        private char last;

        /** A lexer at the start of a command. */
        public Lexer() {
            frames.push(new Frame());
        }

        /** Feeds literal text. */
        public void feed(String text) {
            for (int i = 0; i < text.length(); i++) {
                step(text.charAt(i));
            }
        }

        private void step(char c) {
            Frame f = frames.peek();
            char prev = last;
            last = c;
            if (escaped) {
                escaped = false;
                last = 0;
            } else if (f.single) {
                f.single = c != '\'';
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '`') {
                backtick = !backtick;
            } else if (c == '\'' && !f.dbl) {
                f.single = true;
            } else if (c == '"') {
                f.dbl = !f.dbl;
            } else if (c == '(' && prev == '$') {
                frames.push(new Frame());
            } else if (c == '(' && !f.dbl) {
                f.parens++;
            } else if (c == ')' && !f.dbl) {
                if (f.parens > 0) {
                    f.parens--;
                } else if (frames.size() > 1) {
                    frames.pop();
                }
            }
        }

        /** The context at this point: that of the innermost command. */
        public Context context() {
            if (backtick) {
                return Context.SUBSTITUTION;
            }
            Frame f = frames.peek();
            return f.single ? Context.SINGLE : f.dbl ? Context.DOUBLE : Context.NONE;
        }
    }
}
