package dev.runbook.template;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where each {@code ${...}} of a {@code shell}/{@code ssh} command stands in the POSIX shell
 * syntax (POSIX.1-2017, XCU 2 "Shell Command Language"), so that the value can be referenced as a
 * variable that the shell expands as data (contract, "Injection-safe by construction"), or refused
 * where the shell would not expand a variable or where the expanded value would be parsed again as
 * code.
 *
 * <p>Values never enter the command text, so this analysis decides only <em>how</em> a variable is
 * referenced ({@code "${RUNBOOK_V1}"} unquoted, {@code ${RUNBOOK_V1}} inside double quotes and
 * here-documents) and what is refused. A mistake in it changes how a value is split or shown,
 * never whether it runs: the shell does not parse an expansion's result as code. What it must find
 * are the places where something else does: a second shell or {@code eval} ({@code sh -c
 * "... ${v}"}, {@code eval}, {@code watch}, {@code su -c}, {@code ssh host ...}, a pipe or a
 * here-document into a shell) and arithmetic (bash evaluates {@code a[$(cmd)]} in {@code $((...))},
 * {@code ((...))} and {@code [[ -eq ]]}).
 */
public final class ShellScript {

    /** How a site's value is referenced. */
    public enum Where {
        /** Outside quotes (also in a comment): {@code "${RUNBOOK_Vn}"}, one word. */
        UNQUOTED,
        /** Inside {@code "..."}: {@code ${RUNBOOK_Vn}}. */
        DOUBLE_QUOTED,
        /** In the body of an unquoted here-document: {@code ${RUNBOOK_Vn}}. */
        HEREDOC
    }

    /**
     * One {@code ${...}} of the command.
     *
     * @param expression the template part
     * @param where how its value is referenced
     * @param wordStart true when it begins a word outside quotes or at the start of a quoted word
     *     (an argument an option parser may read as an option)
     * @param afterDoubleDash true when an earlier word of the same command is {@code --}
     * @param refusal why it is refused (one line), or null
     */
    public record Site(
            Template.Expr expression, Where where, boolean wordStart, boolean afterDoubleDash, String refusal) {}

    /** Shells that run their {@code -c} argument or their standard input as code. */
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "busybox");
    /** Commands that run every argument as code. */
    private static final Set<String> EVALUATORS = Set.of("eval", "watch", "ssh", "source", ".");
    /** Commands that run the argument of {@code -c} as code. */
    private static final Set<String> DASH_C = Set.of("su", "runuser", "flock");
    /** Words that run the command after them (skipped to find the command's name). */
    private static final Set<String> PREFIXES = Set.of(
            "sudo", "doas", "env", "nohup", "nice", "ionice", "exec", "command", "builtin", "time", "timeout", "stdbuf",
            "setsid", "chrt", "taskset", "xargs", "!");

    private static final Set<String> KEYWORDS =
            Set.of("if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "{", "}", "in");

    private static final String NESTED = " a second shell parses it as code; pass the value as an argument instead:"
            + " sh -c '... \"$1\" ...' sh ${...}";

    private ShellScript() {}

    /**
     * Finds every {@code ${...}} of a command and how it stands.
     *
     * @param command the parsed template of a {@code shell} or {@code ssh} command
     * @return one site per expression, in order
     */
    public static List<Site> analyse(Template command) {
        Lexer lexer = new Lexer();
        for (Template.Part p : command.parts()) {
            if (p instanceof Template.Text t) {
                lexer.feed(t.text());
            } else {
                lexer.expression((Template.Expr) p);
            }
        }
        lexer.feed("\n");
        List<Site> sites = new ArrayList<>();
        for (Pending s : lexer.sites) {
            String refusal = s.refusal;
            if (refusal == null && s.pipeline != null && s.pipeline.feedsCode(s.segment)) {
                refusal = "is piped into " + s.pipeline.codeReader(s.segment) + ", which runs its input as code;"
                        + " pass the value as an argument instead: sh -c '... \"$1\" ...' sh ${...}";
            }
            if (refusal == null && s.heredoc != null && s.heredoc.reader != null) {
                refusal = "is in a here-document read by " + s.heredoc.reader + " as code;" + NESTED;
            }
            sites.add(new Site(
                    s.expr,
                    s.where,
                    s.wordStart,
                    s.afterDoubleDash,
                    refusal == null ? null : "template ${" + s.expr.expression().source() + "} " + refusal));
        }
        return sites;
    }

    /** A site while lexing; its pipeline is judged once the whole command is read. */
    private static final class Pending {
        Template.Expr expr;
        Where where;
        boolean wordStart;
        boolean afterDoubleDash;
        String refusal;
        Pipeline pipeline;
        int segment;
        Heredoc heredoc;
    }

    /** The commands of one pipeline ({@code a | b | c}), by their names. */
    private static final class Pipeline {
        final List<String> names = new ArrayList<>();

        /** True when a command after segment i reads its standard input as code. */
        boolean feedsCode(int i) {
            return codeReader(i) != null;
        }

        String codeReader(int i) {
            for (int k = i + 1; k < names.size(); k++) {
                String n = names.get(k);
                if (n != null && (SHELLS.contains(n) || EVALUATORS.contains(n))) {
                    return n;
                }
            }
            return null;
        }
    }

    /** A here-document: its delimiter, whether quoted, and the shell that reads it as code (or null). */
    private static final class Heredoc {
        String delimiter;
        boolean quoted;
        boolean stripTabs;
        String reader;
    }

    private enum Kind {
        TOP,
        SUBST,
        SUBSHELL,
        ARITH,
        BACKTICK
    }

    private enum Quote {
        NONE,
        SINGLE,
        DOUBLE,
        ANSI
    }

    /** One nesting level: the top, {@code $(...)}, {@code (...)}, {@code $((...))}, backticks. */
    private static final class Frame {
        final Kind kind;
        Quote quote = Quote.NONE;
        int parens;
        int caseDepth;
        boolean doubleBracket;
        boolean escaped;
        // the current command
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord;
        boolean wordQuoted;
        boolean wordStartsWithExpr;
        Pipeline pipeline = new Pipeline();
        boolean heredocOperator;
        boolean stripTabs;

        Frame(Kind kind) {
            this.kind = kind;
        }
    }

    private static final class Lexer {
        final Deque<Frame> frames = new ArrayDeque<>();
        final List<Pending> sites = new ArrayList<>();
        final List<Heredoc> pendingHeredocs = new ArrayList<>();
        boolean comment;
        Heredoc body;
        final StringBuilder bodyLine = new StringBuilder();
        char prev;

        Lexer() {
            frames.push(new Frame(Kind.TOP));
        }

        void feed(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                char next2 = i + 2 < text.length() ? text.charAt(i + 2) : 0;
                i += step(c, next, next2);
                prev = c;
            }
        }

        void expression(Template.Expr e) {
            Frame f = frames.peek();
            Pending p = new Pending();
            p.expr = e;
            if (body != null) {
                p.where = Where.HEREDOC;
                p.heredoc = body;
                if (body.quoted) {
                    p.refusal = "is in a quoted here-document (<<'" + body.delimiter + "'), where no variable expands";
                }
                bodyLine.append('\u0000');
                sites.add(p);
                return;
            }
            boolean inBacktick = frames.stream().anyMatch(x -> x.kind == Kind.BACKTICK);
            p.wordStart = !f.inWord || f.word.length() == 0 && !comment;
            p.afterDoubleDash = f.words.contains("--");
            if (comment) {
                p.where = Where.UNQUOTED;
                p.wordStart = false;
            } else if (f.quote == Quote.SINGLE) {
                p.refusal = "is inside single quotes, where no variable expands: close the quotes before it";
            } else if (f.quote == Quote.ANSI) {
                p.refusal = "is inside $'...', where no variable expands: close the quotes before it";
            } else if (inBacktick) {
                p.refusal = "is inside backticks: write $(...) instead";
            } else if (f.kind == Kind.ARITH || f.doubleBracket) {
                p.refusal = "is in an arithmetic context, where bash evaluates the value as an expression"
                        + " (a[$(cmd)] runs cmd): compare it as a string, or check it with a pattern first";
            } else {
                p.where = f.quote == Quote.DOUBLE ? Where.DOUBLE_QUOTED : Where.UNQUOTED;
                String nested = nested(f);
                if (nested != null) {
                    p.refusal = nested;
                }
            }
            if (p.where == null) {
                p.where = Where.UNQUOTED;
            }
            if (!comment) {
                if (!f.inWord) {
                    f.inWord = true;
                    f.wordStartsWithExpr = true;
                }
                f.word.append('\u0000');
                p.pipeline = f.pipeline;
                p.segment = f.pipeline.names.size();
            }
            sites.add(p);
        }

        /** Why a value in the current word would be run as code by the command, or null. */
        private String nested(Frame f) {
            List<String> cmd = command(f.words);
            if (cmd.isEmpty()) {
                return null;
            }
            String name = base(cmd.get(0));
            if (EVALUATORS.contains(name)) {
                return "is an argument of " + name + ", which runs it as code;"
                        + (name.equals("ssh") ? " use an ssh step, where values stay data" : NESTED);
            }
            String last = f.words.isEmpty() ? "" : f.words.get(f.words.size() - 1);
            if (last.equals("--command") || last.matches("-[A-Za-z]*c[A-Za-z]*")) {
                for (String w : f.words) {
                    String b = base(w);
                    if (SHELLS.contains(b) || DASH_C.contains(b)) {
                        return "is in the code that " + b + " -c runs;" + NESTED;
                    }
                }
            }
            return null;
        }

        /** Options of the prefix commands that take the next word as their value. */
        private static final java.util.Map<String, Set<String>> PREFIX_OPTION_ARGS = java.util.Map.of(
                "sudo", Set.of("-u", "-g", "-p", "-C", "-D", "-r", "-t", "-U", "-h", "-T"),
                "doas", Set.of("-u", "-C"),
                "env", Set.of("-u", "-C", "-S"),
                "timeout", Set.of("-s", "-k"),
                "nice", Set.of("-n"),
                "ionice", Set.of("-c", "-n", "-p"),
                "xargs", Set.of("-I", "-n", "-P", "-d", "-L", "-a", "-E", "-s"),
                "stdbuf", Set.of("-i", "-o", "-e"));
        /** Prefix commands with positional arguments before the command (timeout's duration…). */
        private static final java.util.Map<String, Integer> PREFIX_POSITIONALS =
                java.util.Map.of("timeout", 1, "chrt", 1, "taskset", 1);

        /** The words from the command's name on (assignments and prefixes such as sudo skipped). */
        private static List<String> command(List<String> words) {
            int i = 0;
            String prefix = null;
            int positionals = 0;
            while (i < words.size()) {
                String w = words.get(i);
                String b = base(w);
                if (prefix == null && (w.matches("[A-Za-z_][A-Za-z0-9_]*=.*") || KEYWORDS.contains(w))) {
                    i++;
                } else if (PREFIXES.contains(b)) {
                    prefix = b;
                    positionals = PREFIX_POSITIONALS.getOrDefault(b, 0);
                    i++;
                } else if (prefix != null && w.startsWith("-")) {
                    boolean takesValue =
                            PREFIX_OPTION_ARGS.getOrDefault(prefix, Set.of()).contains(w);
                    i += takesValue ? 2 : 1;
                } else if (prefix != null && (positionals > 0 || w.matches("[A-Za-z_][A-Za-z0-9_]*=.*"))) {
                    positionals = Math.max(0, positionals - 1);
                    i++;
                } else {
                    break;
                }
            }
            return words.subList(Math.min(i, words.size()), words.size());
        }

        private static String base(String word) {
            String w = word.replace("\u0000", "");
            int slash = w.lastIndexOf('/');
            return (slash >= 0 ? w.substring(slash + 1) : w).toLowerCase(Locale.ROOT);
        }

        /** Handles one character; returns how many following characters it also consumed. */
        private int step(char c, char next, char next2) {
            if (body != null) {
                heredocChar(c);
                return 0;
            }
            Frame f = frames.peek();
            if (comment) {
                if (c == '\n') {
                    comment = false;
                    newline(f);
                }
                return 0;
            }
            if (f.escaped) {
                f.escaped = false;
                if (c != '\n') {
                    wordChar(f, c, true);
                }
                return 0;
            }
            switch (f.quote) {
                case SINGLE -> {
                    if (c == '\'') {
                        f.quote = Quote.NONE;
                    } else {
                        f.word.append(c);
                    }
                    return 0;
                }
                case ANSI -> {
                    if (c == '\\') {
                        f.escaped = true;
                    } else if (c == '\'') {
                        f.quote = Quote.NONE;
                    } else {
                        f.word.append(c);
                    }
                    return 0;
                }
                case DOUBLE -> {
                    return inDouble(f, c, next, next2);
                }
                default -> {
                    return unquoted(f, c, next, next2);
                }
            }
        }

        private int inDouble(Frame f, char c, char next, char next2) {
            if (c == '\\') {
                f.escaped = true;
                return 0;
            }
            if (c == '"') {
                f.quote = Quote.NONE;
                return 0;
            }
            if (c == '`') {
                frames.push(new Frame(Kind.BACKTICK));
                return 0;
            }
            if (c == '$') {
                return dollar(f, next, next2);
            }
            f.word.append(c);
            return 0;
        }

        private int unquoted(Frame f, char c, char next, char next2) {
            switch (c) {
                case '\\' -> {
                    f.escaped = true;
                    f.wordQuoted = true;
                    startWord(f);
                }
                case '\'' -> {
                    startWord(f);
                    f.wordQuoted = true;
                    f.quote = Quote.SINGLE;
                }
                case '"' -> {
                    startWord(f);
                    f.wordQuoted = true;
                    f.quote = Quote.DOUBLE;
                }
                case '`' -> {
                    if (f.kind == Kind.BACKTICK) {
                        endWord(f);
                        frames.pop();
                    } else {
                        startWord(f);
                        frames.push(new Frame(Kind.BACKTICK));
                    }
                }
                case '$' -> {
                    startWord(f);
                    if (next == '\'') {
                        f.quote = Quote.ANSI;
                        f.wordQuoted = true;
                        return 1;
                    }
                    if (next == '"') {
                        f.quote = Quote.DOUBLE;
                        f.wordQuoted = true;
                        return 1;
                    }
                    return dollar(f, next, next2);
                }
                case '#' -> {
                    if (!f.inWord) {
                        comment = true;
                    } else {
                        f.word.append(c);
                    }
                }
                case ' ', '\t' -> endWord(f);
                case '\n' -> newline(f);
                case ';', '&' -> {
                    endWord(f);
                    endCommand(f, true);
                    if (next == c || c == ';' && next == '&') {
                        return 1;
                    }
                }
                case '|' -> {
                    endWord(f);
                    if (next == '|') {
                        endCommand(f, true);
                        return 1;
                    }
                    endCommand(f, false);
                }
                case '<', '>' -> {
                    endWord(f);
                    if (c == '<' && next == '<' && next2 != '<') {
                        f.heredocOperator = true;
                        f.stripTabs = false;
                        return 1;
                    }
                }
                case '(' -> {
                    endWord(f);
                    if (f.words.isEmpty() && next == '(') {
                        frames.push(new Frame(Kind.ARITH));
                        return 1;
                    }
                    if (f.words.isEmpty()) {
                        frames.push(new Frame(Kind.SUBSHELL));
                    } else {
                        f.parens++;
                    }
                }
                case ')' -> {
                    return close(f, next);
                }
                default -> {
                    if (c == '-' && f.heredocOperator && !f.inWord && prev == '<') {
                        f.stripTabs = true;
                        return 0;
                    }
                    wordChar(f, c, false);
                }
            }
            return 0;
        }

        private int close(Frame f, char next) {
            endWord(f);
            if (f.kind == Kind.ARITH) {
                if (f.parens > 0) {
                    f.parens--;
                    return 0;
                }
                frames.pop();
                return next == ')' ? 1 : 0;
            }
            if (f.parens > 0) {
                f.parens--;
                return 0;
            }
            if (f.caseDepth > 0) {
                endCommand(f, true); // the ')' of a case pattern
                return 0;
            }
            if (f.kind == Kind.SUBST || f.kind == Kind.SUBSHELL) {
                endCommand(f, true);
                frames.pop();
            }
            return 0;
        }

        /** After a {@code $}: {@code $((}, {@code $(}, {@code ${...}}, or a plain parameter. */
        private int dollar(Frame f, char next, char next2) {
            if (next == '(' && next2 == '(') {
                f.word.append('$');
                frames.push(new Frame(Kind.ARITH));
                return 2;
            }
            if (next == '(') {
                f.word.append('$');
                frames.push(new Frame(Kind.SUBST));
                return 1;
            }
            f.word.append('$');
            return 0;
        }

        private void wordChar(Frame f, char c, boolean quoted) {
            startWord(f);
            if (quoted) {
                f.wordQuoted = true;
            }
            f.word.append(c);
        }

        private void startWord(Frame f) {
            if (!f.inWord) {
                f.inWord = true;
                f.wordStartsWithExpr = false;
            }
        }

        private void endWord(Frame f) {
            if (!f.inWord) {
                return;
            }
            String w = f.word.toString();
            f.word.setLength(0);
            f.inWord = false;
            if (f.heredocOperator) {
                Heredoc h = new Heredoc();
                h.delimiter = w.replace("\u0000", "");
                h.quoted = f.wordQuoted;
                h.stripTabs = f.stripTabs;
                List<String> cmd = command(f.words);
                String name = cmd.isEmpty() ? null : base(cmd.get(0));
                boolean dashC = cmd.stream().anyMatch(x -> x.matches("-[A-Za-z]*c[A-Za-z]*"));
                if (name != null && (EVALUATORS.contains(name) || SHELLS.contains(name) && !dashC)) {
                    h.reader = name;
                }
                pendingHeredocs.add(h);
                f.heredocOperator = false;
                f.wordQuoted = false;
                return;
            }
            f.wordQuoted = false;
            if (f.words.isEmpty() && w.equals("case")) {
                f.caseDepth++;
            } else if (w.equals("esac") && f.caseDepth > 0) {
                f.caseDepth--;
            } else if (w.equals("[[")) {
                f.doubleBracket = true;
            } else if (w.equals("]]")) {
                f.doubleBracket = false;
            }
            if (f.words.isEmpty() && (w.equals("let") || w.equals("declare") || w.equals("typeset"))) {
                f.doubleBracket = true; // arithmetic evaluation of its arguments (bash)
            }
            if (KEYWORDS.contains(w) && command(f.words).isEmpty()) {
                f.words.clear();
                return;
            }
            f.words.add(w);
        }

        private void endCommand(Frame f, boolean endPipeline) {
            List<String> cmd = command(f.words);
            f.pipeline.names.add(cmd.isEmpty() ? null : base(cmd.get(0)));
            if (endPipeline) {
                f.pipeline = new Pipeline();
            }
            f.words.clear();
            f.doubleBracket = false;
        }

        private void newline(Frame f) {
            endWord(f);
            endCommand(f, true);
            if (!pendingHeredocs.isEmpty()) {
                body = pendingHeredocs.remove(0);
                bodyLine.setLength(0);
            }
        }

        private void heredocChar(char c) {
            if (c != '\n') {
                bodyLine.append(c);
                return;
            }
            String line = bodyLine.toString();
            if (body.stripTabs) {
                line = line.replaceFirst("^\t+", "");
            }
            bodyLine.setLength(0);
            if (line.equals(body.delimiter)) {
                body = pendingHeredocs.isEmpty() ? null : pendingHeredocs.remove(0);
            }
        }
    }
}
