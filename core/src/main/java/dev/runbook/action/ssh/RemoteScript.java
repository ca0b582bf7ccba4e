package dev.runbook.action.ssh;

import dev.runbook.template.ShellCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an {@code ssh} step's command and values reach the remote host without the remote shell
 * ever parsing a value (contract, "Injection-safe by construction"; docs/ssh.md, "How a command
 * runs"). OpenSSH runs the exec request's string with the user's login shell ({@code sshd(8)},
 * "LOGIN PROCESS"); what we send there is a fixed {@link #PRELUDE} that holds no value and no
 * part of the runbook. The runbook's script and its values follow on the channel's standard
 * input, one line each, every byte written as an octal escape {@code \0ooo}: a line holds only
 * {@code \}, {@code 0}-{@code 7}, so nothing in it can be read as code, and {@code printf %b}
 * decodes it (POSIX, XCU "printf"). Nothing of the values is in any process's argv, so secrets do
 * not show in the remote process list.
 *
 * <p>The prelude then runs the script with {@code /bin/sh -c} in a new session ({@code setsid},
 * where present), the values exported as {@code RUNBOOK_V1…}, and keeps reading standard input:
 * when it ends (the client stopped the step: Ctrl-C, timeout, SIGTERM, or the connection dropped)
 * it sends SIGTERM, then after 2 s SIGKILL, to the script's whole process group. The exit status
 * is the script's.
 */
public final class RemoteScript {

    /**
     * The exec request's command: POSIX sh, free of single quotes, backslashes and {@code !} so
     * that any common login shell passes it unchanged to {@code /bin/sh}.
     */
    public static final String PRELUDE = "exec /bin/sh -c '"
            + "r() { IFS= read -r l || exit 125; v=$(printf \"%b_\" \"$l\"); v=${v%_}; }; "
            + "r; n=$v; r; c=$v; i=1; "
            + "while [ \"$i\" -le \"$n\" ]; do r; export \"RUNBOOK_V$i=$v\"; i=$((i+1)); done; "
            + "exec 3<&0; "
            + "if command -v setsid >/dev/null 2>&1; then setsid /bin/sh -c \"$c\" </dev/null & "
            + "else /bin/sh -c \"$c\" </dev/null & fi; "
            + "p=$!; "
            + "{ read -r l <&3; kill -TERM -$p 2>/dev/null || kill -TERM $p 2>/dev/null; sleep 2; "
            + "kill -KILL -$p 2>/dev/null || kill -KILL $p 2>/dev/null; } >/dev/null 2>&1 & "
            + "w=$!; wait $p; s=$?; kill $w 2>/dev/null; exit $s'";

    /**
     * A script and its values as read back from a payload (by the sandbox and the tests' SSH
     * server).
     *
     * @param script the command the prelude runs
     * @param variables {@code RUNBOOK_V1…} to their values
     */
    public record Decoded(String script, Map<String, String> variables) {}

    private RemoteScript() {}

    /**
     * The standard input that follows the prelude: the number of values, the script, then each
     * value, one encoded line each.
     *
     * @param command the rendered command
     * @return the bytes to write on the channel before keeping it open
     */
    public static byte[] payload(ShellCommand command) {
        StringBuilder b = new StringBuilder();
        line(b, Integer.toString(command.variables().size()));
        line(b, command.script());
        command.variables().values().forEach(v -> line(b, v));
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void line(StringBuilder b, String text) {
        for (byte x : text.getBytes(StandardCharsets.UTF_8)) {
            int u = x & 0xff;
            b.append("\\0").append((u >> 6) & 7).append((u >> 3) & 7).append(u & 7);
        }
        b.append('\n');
    }

    /**
     * Reads a payload back.
     *
     * @param in the channel's standard input, positioned at the payload
     * @return the script and its values
     * @throws IOException when the stream ends early or a line is not an encoded one
     */
    public static Decoded decode(InputStream in) throws IOException {
        int n = Integer.parseInt(readLine(in));
        String script = readLine(in);
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            vars.put(ShellCommand.VARIABLE_PREFIX + i, readLine(in));
        }
        return new Decoded(script, vars);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the payload ended early");
            }
            raw.write(c);
        }
        String line = raw.toString(StandardCharsets.US_ASCII);
        if (line.length() % 5 != 0) {
            throw new IOException("not an encoded line");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < line.length(); i += 5) {
            if (line.charAt(i) != '\\' || line.charAt(i + 1) != '0') {
                throw new IOException("not an encoded line");
            }
            out.write(Integer.parseInt(line.substring(i + 2, i + 5), 8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
