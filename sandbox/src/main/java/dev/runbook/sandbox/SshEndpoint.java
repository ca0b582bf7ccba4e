package dev.runbook.sandbox;

import dev.runbook.action.ssh.RemoteScript;
import dev.runbook.template.ShellQuote;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Map;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * The SSH endpoint standing in for the inventory's hosts: Apache MINA SSHD on
 * {@code 127.0.0.1}, an ed25519 host key generated once in {@code <stateDir>/ssh_host_ed25519_key},
 * a {@code known_hosts} line for it ({@code [127.0.0.1]:PORT ssh-ed25519 …}) written to the
 * environment's {@code known_hosts} file, public-key authentication of the environment's user
 * with the key of its {@code identity_file} (generated in OpenSSH format when missing), and
 * every {@code exec} interpreted by {@link CommandEmulator}. No shell, no forwarding.
 */
public final class SshEndpoint implements AutoCloseable {

    private final SshServer sshd;

    private SshEndpoint(SshServer sshd) {
        this.sshd = sshd;
    }

    /**
     * Starts the endpoint.
     *
     * @param config ports, user and key files
     * @param emulator the shell of the hosts
     * @throws IOException when a key cannot be written or the port is taken
     */
    public static SshEndpoint start(SandboxConfig config, CommandEmulator emulator) throws IOException {
        Files.createDirectories(config.stateDir());
        SimpleGeneratorHostKeyProvider keys =
                new SimpleGeneratorHostKeyProvider(config.stateDir().resolve("ssh_host_ed25519_key"));
        keys.setAlgorithm("EdDSA");
        KeyPair host = keys.loadKeys(null).iterator().next();
        Files.writeString(
                config.knownHosts(),
                "[127.0.0.1]:" + config.sshPort() + " " + PublicKeyEntry.toString(host.getPublic()) + "\n",
                StandardCharsets.UTF_8);
        PublicKey client = clientKey(config.identityFile());
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(config.sshPort());
        sshd.setKeyPairProvider(keys);
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setPublickeyAuthenticator(
                (user, key, session) -> user.equals(config.sshUser()) && KeyUtils.compareKeys(client, key));
        sshd.setCommandFactory((channel, command) -> new Emulated(emulator, command));
        sshd.start();
        return new SshEndpoint(sshd);
    }

    /** The client key's public half, generating the pair (private key mode 600) when missing. */
    private static PublicKey clientKey(Path identity) throws IOException {
        Path pub = Path.of(identity + ".pub");
        if (!Files.exists(identity) || !Files.exists(pub)) {
            try {
                KeyPair kp = KeyUtils.generateKeyPair("ssh-ed25519", 256);
                if (identity.getParent() != null) {
                    Files.createDirectories(identity.getParent());
                }
                try (OutputStream out = Files.newOutputStream(identity)) {
                    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "runbook-sandbox", null, out);
                }
                try {
                    Files.setPosixFilePermissions(
                            identity, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                try (OutputStream out = Files.newOutputStream(pub)) {
                    OpenSSHKeyPairResourceWriter.INSTANCE.writePublicKey(kp, "runbook-sandbox", out);
                }
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot generate the sandbox's client key: " + e.getMessage(), e);
            }
        }
        try {
            return AuthorizedKeyEntry.readAuthorizedKeys(pub)
                    .get(0)
                    .resolvePublicKey(null, Map.of(), PublicKeyEntryResolver.FAILING);
        } catch (GeneralSecurityException | IndexOutOfBoundsException e) {
            throw new IOException("cannot read " + pub + ": " + e.getMessage(), e);
        }
    }

    /** The port it listens on. */
    public int port() {
        return sshd.getPort();
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }

    /** One {@code exec}: the emulator's answer, written then exited. */
    private static final class Emulated implements Command {
        private final CommandEmulator emulator;
        private final String command;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private InputStream in;

        Emulated(CommandEmulator emulator, String command) {
            this.emulator = emulator;
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in; // the runbook's script and values follow the prelude there
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
            Thread t = new Thread(
                    () -> {
                        CommandEmulator.Result r;
                        try {
                            r = emulator.run(script());
                        } catch (IOException e) {
                            r = new CommandEmulator.Result(125, "", "sandbox: " + e.getMessage() + "\n");
                        } catch (RuntimeException e) {
                            r = new CommandEmulator.Result(1, "", "sandbox: " + e.getMessage() + "\n");
                        }
                        try {
                            out.write(r.out().getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            err.write(r.err().getBytes(StandardCharsets.UTF_8));
                            err.flush();
                        } catch (IOException ignored) {
                            // the client went away
                        }
                        exit.onExit(r.exit());
                    },
                    "sandbox-ssh-exec");
            t.setDaemon(true);
            t.start();
        }

        /**
         * The command to emulate: a runbook's script read after the prelude (docs/ssh.md), with its
         * variables written in as the words they stand for; any other command as it is.
         */
        private String script() throws IOException {
            if (!command.equals(RemoteScript.PRELUDE)) {
                return command;
            }
            RemoteScript.Decoded d = RemoteScript.decode(in);
            String s = d.script();
            for (Map.Entry<String, String> v : d.variables().entrySet()) {
                s = s.replace("\"${" + v.getKey() + "}\"", ShellQuote.quote(v.getValue()))
                        .replace("${" + v.getKey() + "}", v.getValue());
            }
            return s;
        }

        @Override
        public void destroy(ChannelSession channel) {
            // emulated commands end by themselves
        }
    }
}
