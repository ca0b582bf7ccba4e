package dev.runbook.testing;

import dev.runbook.action.ssh.RemoteScript;
import dev.runbook.template.ShellCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * Real SSH servers on loopback for tests: Apache MINA SSHD on {@code 127.0.0.1}, port 0,
 * each with its own generated ed25519 host key (in a temp file), password and public-key
 * authentication, and an {@code exec} that really runs the command with {@code /bin/sh -c}
 * (so quoting and injection behave as on a real host). Each server records the sessions
 * opened, the commands run and the signals received, and kills the process on {@code KILL}
 * or when the channel closes. Forwarding ({@code direct-tcpip}) is allowed, for jump hosts.
 *
 * <p>Client keys are made with {@code ssh-keygen} (package openssh-client), in OpenSSH
 * format, as users have them.
 */
public final class SshServerFixture implements AutoCloseable {

    /** A generated client key pair: the private key file and its {@code .pub}. */
    public record KeyFiles(Path privateKey, Path publicKey) {}

    private final List<Server> servers;
    private final Map<String, String> passwords = new ConcurrentHashMap<>();
    private final List<PublicKey> authorized = new CopyOnWriteArrayList<>();

    private SshServerFixture(List<Server> servers) {
        this.servers = servers;
    }

    /**
     * Starts servers.
     *
     * @param dir where host keys are written
     * @param count how many
     */
    public static SshServerFixture start(Path dir, int count) throws IOException {
        List<Server> list = new ArrayList<>();
        SshServerFixture f = new SshServerFixture(list);
        try {
            for (int i = 0; i < count; i++) {
                list.add(f.new Server(dir.resolve("host-key-" + i)));
            }
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    /** How many servers. */
    public int size() {
        return servers.size();
    }

    /** The port server {@code i} listens on. */
    public int port(int i) {
        return servers.get(i).sshd.getPort();
    }

    /** Server {@code i}'s host public key. */
    public PublicKey hostKey(int i) {
        return servers.get(i).hostKey;
    }

    /** Server {@code i}'s host key as an OpenSSH public key line: {@code ssh-ed25519 AAAA…}. */
    public String hostKeyEntry(int i) {
        return PublicKeyEntry.toString(hostKey(i));
    }

    /** The OpenSSH SHA256 fingerprint of server {@code i}'s host key ({@code SHA256:…}). */
    public String fingerprint(int i) {
        return KeyUtils.getFingerPrint(hostKey(i));
    }

    /** A known_hosts line for server {@code i}: {@code [127.0.0.1]:PORT ssh-ed25519 AAAA…}. */
    public String knownHostsLine(int i) {
        return "[127.0.0.1]:" + port(i) + " " + hostKeyEntry(i);
    }

    /**
     * Writes a known_hosts file with lines for these servers (all when none given).
     *
     * @return the file
     */
    public Path writeKnownHosts(Path file, int... which) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (which.length == 0) {
            for (int i = 0; i < size(); i++) {
                sb.append(knownHostsLine(i)).append('\n');
            }
        } else {
            for (int i : which) {
                sb.append(knownHostsLine(i)).append('\n');
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** Accepts this user with this password (every server). */
    public void setPassword(String user, String password) {
        passwords.put(user, password);
    }

    /** Accepts the key of this {@code .pub} file for any user (every server). */
    public void authorize(Path publicKeyFile) throws IOException {
        try {
            for (AuthorizedKeyEntry e : AuthorizedKeyEntry.readAuthorizedKeys(publicKeyFile)) {
                authorized.add(e.resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING));
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read " + publicKeyFile + ": " + e, e);
        }
    }

    /** SSH sessions opened on server {@code i} so far. */
    public int sessionsOpened(int i) {
        return servers.get(i).sessions.get();
    }

    /** Commands run on server {@code i}, in order. */
    public List<String> commands(int i) {
        return List.copyOf(servers.get(i).commands);
    }

    /** The values sent with each command run on server {@code i} ({@code RUNBOOK_V1…}), in order. */
    public List<Map<String, String>> values(int i) {
        return List.copyOf(servers.get(i).values);
    }

    /** Signal names received by commands on server {@code i} (for example {@code KILL}). */
    public List<String> signals(int i) {
        return List.copyOf(servers.get(i).signals);
    }

    /** Processes of server {@code i} ended because their channel was closed before they exited. */
    public int destroyed(int i) {
        return servers.get(i).destroyed.get();
    }

    /**
     * Generates a client key with {@code ssh-keygen} in OpenSSH format.
     *
     * @param type {@code ed25519} or {@code rsa}
     * @param passphrase empty for none
     */
    public static KeyFiles keygen(Path dir, String name, String type, String passphrase)
            throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(
                List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "test@runbook", "-f", key.toString()));
        if (type.equals("rsa")) {
            cmd.addAll(List.of("-b", "2048"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ssh-keygen failed (is openssh-client installed?): " + out);
        }
        return new KeyFiles(key, dir.resolve(name + ".pub"));
    }

    @Override
    public void close() {
        for (Server s : servers) {
            try {
                s.sshd.stop(true);
            } catch (IOException ignored) {
                // test teardown
            }
        }
    }

    /** One MINA server. */
    private final class Server {
        final SshServer sshd;
        final PublicKey hostKey;
        final AtomicInteger sessions = new AtomicInteger();
        final List<String> commands = new CopyOnWriteArrayList<>();
        final List<Map<String, String>> values = new CopyOnWriteArrayList<>();
        final List<String> signals = new CopyOnWriteArrayList<>();
        final AtomicInteger destroyed = new AtomicInteger();

        Server(Path hostKeyFile) throws IOException {
            SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(hostKeyFile);
            keys.setAlgorithm("EdDSA");
            Iterator<KeyPair> it = keys.loadKeys(null).iterator();
            hostKey = it.next().getPublic();
            sshd = SshServer.setUpDefaultServer();
            sshd.setHost("127.0.0.1");
            sshd.setPort(0);
            sshd.setKeyPairProvider(keys);
            sshd.setPasswordAuthenticator((user, password, session) -> password.equals(passwords.get(user)));
            sshd.setPublickeyAuthenticator(
                    (user, key, session) -> authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
            sshd.setKeyboardInteractiveAuthenticator(null);
            sshd.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
            sshd.setCommandFactory((channel, command) -> new ShCommand(this, command));
            sshd.addSessionListener(new SessionListener() {
                @Override
                public void sessionCreated(Session session) {
                    sessions.incrementAndGet();
                }
            });
            sshd.start();
        }
    }

    /** {@code /bin/sh -c COMMAND}, its output copied to the channel, its status returned. */
    private static final class ShCommand implements Command {
        private final Server server;
        private final String command;
        private OutputStream out;
        private OutputStream err;
        private InputStream in;
        private ExitCallback exit;
        private volatile Process process;
        private volatile boolean finished;

        ShCommand(Server server, String command) {
            this.server = server;
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            env.addSignalListener((ch, signal) -> {
                server.signals.add(signal.name());
                Process p = process;
                if (p != null) {
                    p.destroyForcibly();
                }
            });
            // reading the channel's input here would block the session's thread that delivers it
            Thread runner = new Thread(this::run, "sh-run");
            runner.setDaemon(true);
            runner.start();
        }

        private void run() {
            int status;
            try {
                byte[] payload = null;
                if (command.equals(RemoteScript.PRELUDE)) {
                    // record the runbook's script (the prelude is always the same), then run the
                    // real prelude with the same standard input
                    RemoteScript.Decoded d = RemoteScript.decode(in);
                    server.commands.add(d.script());
                    server.values.add(d.variables());
                    payload = RemoteScript.payload(new ShellCommand(d.script(), d.variables(), ""));
                } else {
                    server.commands.add(command);
                }
                Process p = new ProcessBuilder("/bin/sh", "-c", command).start();
                process = p;
                if (payload == null) {
                    p.getOutputStream().close();
                } else {
                    p.getOutputStream().write(payload);
                    p.getOutputStream().flush();
                    forward(in, p.getOutputStream());
                }
                Thread to = copy(p.getInputStream(), out);
                Thread te = copy(p.getErrorStream(), err);
                status = p.waitFor();
                to.join();
                te.join();
            } catch (IOException e) {
                status = 254;
            } catch (InterruptedException e) {
                status = 255;
            }
            finished = true;
            exit.onExit(status);
        }

        @Override
        public void destroy(ChannelSession channel) {
            Process p = process;
            if (p != null && p.isAlive() && !finished) {
                server.destroyed.incrementAndGet();
                p.destroyForcibly();
            }
        }

        /** Copies the channel's input to the process until it ends, then closes the process's input. */
        private static void forward(InputStream from, OutputStream to) {
            Thread t = new Thread(
                    () -> {
                        byte[] buf = new byte[1024];
                        try (to) {
                            int n;
                            while ((n = from.read(buf)) >= 0) {
                                to.write(buf, 0, n);
                                to.flush();
                            }
                        } catch (IOException e) {
                            // either side closed
                        }
                    },
                    "sh-stdin");
            t.setDaemon(true);
            t.start();
        }

        private static Thread copy(InputStream in, OutputStream out) {
            Thread t = new Thread(
                    () -> {
                        byte[] buf = new byte[8192];
                        try {
                            int n;
                            while ((n = in.read(buf)) >= 0) {
                                out.write(buf, 0, n);
                                out.flush();
                            }
                        } catch (IOException e) {
                            // channel closed
                        }
                    },
                    "sh-copy");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }
}
