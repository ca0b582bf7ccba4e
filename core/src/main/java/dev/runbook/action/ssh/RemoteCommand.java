package dev.runbook.action.ssh;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.runbook.action.Output;
import dev.runbook.template.ShellCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

/**
 * Runs one command in an {@code exec} channel of a connected session: streams each
 * stdout/stderr line live as {@code output.line(hostName, line)}, captures both (up to
 * {@link #MAX_CAPTURE} characters each), and enforces a timeout. On timeout the remote
 * process is sent {@code KILL} (RFC 4254, section 6.9) and the channel is closed, which
 * also ends the process on servers that ignore signals.
 */
public final class RemoteCommand {

    /** Captured characters per stream; the rest is still shown live but not kept. */
    public static final int MAX_CAPTURE = 1 << 20;

    /** How long a finished command's output may stay open (a background child): 1 s. */
    public static final Duration DRAIN = Duration.ofSeconds(1);

    /**
     * How the command ended.
     *
     * @param exit the exit status; -1 when none came (timed out, killed by a signal)
     * @param stdout captured standard output
     * @param stderr captured standard error
     * @param timedOut true when the timeout ended it
     * @param exitSignal the signal that ended the remote process, when the server said so; else null
     */
    public record Result(int exit, String stdout, String stderr, boolean timedOut, String exitSignal) {}

    private RemoteCommand() {}

    /**
     * Runs the command.
     *
     * @param session a connected session
     * @param hostName the inventory name, used as the source of output lines
     * @param command the command line, sent as is (the server runs it with the user's shell)
     * @param timeout how long the command may run
     * @param channelTimeoutMs limit to open the channel, in ms
     * @param output where lines go live
     * @param running the channel is added while it runs, for Ctrl-C hooks that close it
     * @throws SshException when the channel cannot be opened
     * @throws InterruptedException when the thread is interrupted (the channel is closed first)
     */
    public static Result run(
            Session session,
            String hostName,
            ShellCommand command,
            Duration timeout,
            int channelTimeoutMs,
            Output output,
            Set<Channel> running)
            throws SshException, InterruptedException {
        ChannelExec ch;
        Pump out;
        Pump err;
        OutputStream stdin;
        try {
            ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(RemoteScript.PRELUDE);
            stdin = ch.getOutputStream();
            out = new Pump(ch.getInputStream(), hostName, output);
            err = new Pump(ch.getErrStream(), hostName, output);
        } catch (JSchException | IOException e) {
            throw new SshException(hostName + ": cannot open a channel: " + SshConnector.oneLine(e.getMessage()), e);
        }
        running.add(ch);
        try {
            try {
                ch.connect(channelTimeoutMs);
            } catch (JSchException e) {
                throw new SshException(
                        hostName + ": cannot start the command: " + SshConnector.oneLine(e.getMessage()), e);
            }
            try {
                stdin.write(RemoteScript.payload(command));
                stdin.flush();
            } catch (IOException e) {
                throw new SshException(
                        hostName + ": cannot send the command: " + SshConnector.oneLine(e.getMessage()), e);
            }
            Thread to = start(out, "ssh-" + hostName + "-out");
            Thread te = start(err, "ssh-" + hostName + "-err");
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean timedOut = false;
            try {
                long drainEnd = Long.MAX_VALUE;
                while (!ch.isClosed()) {
                    long now = System.nanoTime();
                    long left = deadline - now;
                    if (left <= 0) {
                        timedOut = true;
                        kill(ch);
                        break;
                    }
                    if (ch.getExitStatus() != -1 && drainEnd == Long.MAX_VALUE) {
                        drainEnd = now + DRAIN.toNanos();
                    }
                    if (now >= drainEnd) {
                        // exited; a background process keeps the output open: not waiting for it
                        ch.disconnect();
                        break;
                    }
                    Thread.sleep(Math.max(1, Math.min(20, left / 1_000_000)));
                }
                to.join(2000);
                te.join(2000);
            } catch (InterruptedException e) {
                kill(ch);
                throw e;
            }
            return new Result(timedOut ? -1 : ch.getExitStatus(), out.text(), err.text(), timedOut, ch.getExitSignal());
        } finally {
            running.remove(ch);
            ch.disconnect();
        }
    }

    /** Sends {@code KILL} to the remote process (best effort), then closes the channel. */
    public static void kill(Channel ch) {
        try {
            ch.getOutputStream().close(); // the prelude's lifeline: the script's process group is killed
        } catch (Exception ignored) {
            // the channel may be gone already; closing it below ends the lifeline anyway
        }
        try {
            ch.sendSignal("TERM");
        } catch (Exception ignored) {
            // not every server takes signal requests; the lifeline does the work
        }
        ch.disconnect();
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Reads one stream to its end: lines go live, text is captured. */
    private static final class Pump implements Runnable {
        private final InputStream in;
        private final String source;
        private final Output output;
        private final StringBuilder captured = new StringBuilder();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Pump(InputStream in, String source, Output output) {
            this.in = in;
            this.source = source;
            this.output = output;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n') {
                            flushLine(true);
                        } else {
                            line.write(buf[i]);
                        }
                    }
                }
            } catch (IOException closed) {
                // the channel was closed (timeout, Ctrl-C): keep what was read
            } finally {
                if (line.size() > 0) {
                    flushLine(false);
                }
            }
        }

        private void flushLine(boolean newline) {
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            synchronized (captured) {
                if (captured.length() < MAX_CAPTURE) {
                    captured.append(s, 0, Math.min(s.length(), MAX_CAPTURE - captured.length()));
                    if (newline && captured.length() < MAX_CAPTURE) {
                        captured.append('\n');
                    }
                }
            }
            output.line(source, s.endsWith("\r") ? s.substring(0, s.length() - 1) : s);
        }

        String text() {
            synchronized (captured) {
                return captured.toString();
            }
        }
    }
}
