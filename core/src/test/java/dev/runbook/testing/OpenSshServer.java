package dev.runbook.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code sshd} on loopback for tests that need OpenSSH's exact behaviour: the
 * login shell runs the exec request, no {@code AcceptEnv}, public-key login for the current
 * user. Started in the foreground ({@code -D -e}) with its own host key and config; ended by
 * {@link #close()}.
 */
public final class OpenSshServer implements AutoCloseable {

    /** Where Debian's openssh-server puts it. */
    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Process process;
    private final int port;
    private final Path clientKey;
    private final Path knownHosts;

    private OpenSshServer(Process process, int port, Path clientKey, Path knownHosts) {
        this.process = process;
        this.port = port;
        this.clientKey = clientKey;
        this.knownHosts = knownHosts;
    }

    /** True when sshd and ssh-keygen are installed. */
    public static boolean available() {
        return Files.isExecutable(SSHD) && new File("/usr/bin/ssh-keygen").canExecute();
    }

    /**
     * Starts sshd in {@code dir}.
     *
     * @throws IOException when it cannot start or does not listen within 10 s
     */
    public static OpenSshServer start(Path dir) throws IOException, InterruptedException {
        Path hostKey = dir.resolve("ssh_host_ed25519_key");
        Path clientKey = dir.resolve("id_ed25519");
        keygen(hostKey);
        keygen(clientKey);
        Path authorized = dir.resolve("authorized_keys");
        Files.copy(Path.of(clientKey + ".pub"), authorized);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("sshd_config");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        List.of(
                                "Port " + port,
                                "ListenAddress 127.0.0.1",
                                "HostKey " + hostKey,
                                "PidFile " + dir.resolve("sshd.pid"),
                                "AuthorizedKeysFile " + authorized,
                                "PubkeyAuthentication yes",
                                "PasswordAuthentication no",
                                "KbdInteractiveAuthentication no",
                                "PermitRootLogin prohibit-password",
                                "StrictModes no",
                                "UsePAM no",
                                "LogLevel ERROR",
                                "")));
        if ("0".equals(id())) {
            Files.createDirectories(Path.of("/run/sshd"));
        }
        Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IOException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(1000);
                String hostLine = "[127.0.0.1]:" + port + " "
                        + Files.readString(Path.of(hostKey + ".pub")).trim();
                Path known = dir.resolve("known_hosts");
                Files.writeString(known, hostLine + "\n");
                return new OpenSshServer(p, port, clientKey, known);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("sshd did not listen on " + port);
    }

    private static void keygen(Path key) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true)
                .start();
        k.getInputStream().readAllBytes();
        if (k.waitFor() != 0) {
            throw new IOException("ssh-keygen failed for " + key);
        }
    }

    /** The current user's uid, as {@code id -u} prints it. */
    public static String id() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }

    /** The current user's name. */
    public static String user() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-un").start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }

    /** Its port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The client's private key (no passphrase). */
    public Path clientKey() {
        return clientKey;
    }

    /** A known_hosts file holding the server's key. */
    public Path knownHosts() {
        return knownHosts;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
