package dev.runbook.action.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UnixDomainSocketFactory;
import dev.runbook.action.ActionContext.HostKeyPolicy;
import dev.runbook.template.Renderer;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens one JSch session to a resolved host: keys and passphrase, password, strict
 * host-key checking through {@link KnownHostsVerifier}, keep-alive, connect timeout, and
 * an optional jump session. Every failure becomes an {@link SshException} with one line
 * naming the host and {@code address:port}.
 */
public final class SshConnector {

    /** Keep-alive: a probe every 15 s ... */
    public static final int SERVER_ALIVE_INTERVAL_MS = 15_000;
    /** ... and the session is declared dead after 3 unanswered probes. */
    public static final int SERVER_ALIVE_COUNT_MAX = 3;

    private final HostKeyPolicy policy;
    private final Renderer renderer;
    private final int connectTimeoutMs;

    /**
     * @param policy decides about unknown host keys
     * @param renderer renders the {@code passphrase} and {@code password} templates as text
     * @param connectTimeoutMs TCP connect plus SSH handshake and authentication limit, in ms
     */
    public SshConnector(HostKeyPolicy policy, Renderer renderer, int connectTimeoutMs) {
        this.policy = policy;
        this.renderer = renderer;
        this.connectTimeoutMs = connectTimeoutMs;
    }

    /**
     * Connects.
     *
     * @param host where to
     * @param jump a connected session to tunnel through; null to connect directly
     * @return the connected, authenticated session
     * @throws SshException with a one-line message when the key files are unusable, the
     *     host key is unknown and refused or has changed, authentication fails, or the
     *     host cannot be reached in time
     */
    public Session open(SshHost host, Session jump) throws SshException {
        String who = host.name() + " (" + host.hostPort() + ")";
        JSch jsch = new JSch();
        List<String> offered = new ArrayList<>();
        byte[] passphrase = host.passphrase() == null
                ? null
                : renderer.text(host.passphrase()).text().getBytes(StandardCharsets.UTF_8);
        for (Path key : host.identityFiles()) {
            if (!Files.isReadable(key)) {
                throw new SshException(who + ": identity_file " + key + " does not exist or cannot be read");
            }
            try {
                if (passphrase != null) {
                    jsch.addIdentity(key.toString(), passphrase);
                } else {
                    jsch.addIdentity(key.toString());
                }
            } catch (JSchException e) {
                throw new SshException(who + ": cannot use identity_file " + key + ": " + oneLine(e.getMessage()), e);
            }
            offered.add("key " + key);
        }
        List<Identity> agentKeys = agentKeys(host, offered);
        List<Identity> fileKeys = new ArrayList<>(jsch.getIdentityRepository().getIdentities());
        jsch.setIdentityRepository(new OfferedKeys(agentKeys, fileKeys, host.identitiesOnly()));
        int timeoutMs = host.connectTimeoutMs() != null ? host.connectTimeoutMs() : connectTimeoutMs;
        KnownHostsVerifier verifier;
        try {
            verifier = new KnownHostsVerifier(host, policy);
        } catch (UncheckedIOException e) {
            throw new SshException(who + ": " + oneLine(e.getCause().getMessage()), e);
        }
        jsch.setHostKeyRepository(verifier);
        Session session;
        try {
            session = jsch.getSession(host.user(), host.address(), host.port());
            if (host.hostKeyAlias() != null) {
                session.setHostKeyAlias(host.hostKeyAlias()); // ssh_config(5) HostKeyAlias: the known_hosts name
            }
            session.setConfig("StrictHostKeyChecking", "yes");
            if (host.password() != null) {
                session.setPassword(renderer.text(host.password()).text().getBytes(StandardCharsets.UTF_8));
                offered.add("password");
                session.setConfig("PreferredAuthentications", "publickey,password");
            } else {
                session.setConfig("PreferredAuthentications", "publickey");
            }
            session.setServerAliveInterval(SERVER_ALIVE_INTERVAL_MS);
            session.setServerAliveCountMax(SERVER_ALIVE_COUNT_MAX);
            session.setDaemonThread(true);
            if (jump != null) {
                session.setProxy(new JumpProxy(jump));
            }
        } catch (JSchException e) {
            throw new SshException(who + ": " + oneLine(e.getMessage()), e);
        }
        try {
            session.connect(timeoutMs);
            return session;
        } catch (JSchException e) {
            session.disconnect();
            throw new SshException(message(host, who, verifier, offered, timeoutMs, e), e);
        } catch (UncheckedIOException e) {
            session.disconnect();
            throw new SshException(who + ": " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * The keys of the host's ssh-agent (ssh-add -L order), noted in {@code offered}; none when it
     * has no agent or the agent cannot be reached (then noted too: authentication may still
     * succeed with the identity files).
     */
    private static List<Identity> agentKeys(SshHost host, List<String> offered) {
        if (host.identityAgent() == null) {
            return List.of();
        }
        try {
            SSHAgentConnector agent = new SSHAgentConnector(new UnixDomainSocketFactory(), host.identityAgent());
            if (!agent.isAvailable()) {
                offered.add("no ssh-agent at " + host.identityAgent());
                return List.of();
            }
            List<Identity> keys = new ArrayList<>(new AgentIdentityRepository(agent).getIdentities());
            offered.add("ssh-agent " + host.identityAgent() + " (" + keys.size() + " key(s)"
                    + (host.identitiesOnly() ? ", IdentitiesOnly: only those of the identity files" : "") + ")");
            return keys;
        } catch (AgentProxyException | RuntimeException e) {
            offered.add("no ssh-agent at " + host.identityAgent() + " (" + oneLine(e.getMessage()) + ")");
            return List.of();
        }
    }

    private String message(
            SshHost host, String who, KnownHostsVerifier v, List<String> offered, int timeoutMs, JSchException e) {
        switch (v.outcome()) {
            case CHANGED:
                return "HOST KEY CHANGED for " + who + ": the server now offers " + v.keyType() + " "
                        + v.fingerprint() + ", which differs from the key recorded in " + host.knownHosts()
                        + "; refusing to connect (someone may be intercepting the connection); if the change is"
                        + " expected, remove the old key with: ssh-keygen -R '" + host.knownHostsName() + "' -f "
                        + host.knownHosts();
            case REVOKED:
                return "REVOKED HOST KEY DETECTED for " + who + ": the server offers " + v.keyType() + " "
                        + v.fingerprint() + ", which " + host.knownHosts() + " lists under @revoked; refusing to"
                        + " connect";
            case CERTIFICATES:
                return who + ": unknown host key " + v.keyType() + " " + v.fingerprint() + ", and " + host.knownHosts()
                        + " has @cert-authority lines: host certificates are not checked by runbook, so the key is"
                        + " refused; add the host's own key to known_hosts";
            case REFUSED:
                return who + ": unknown host key " + v.keyType() + " " + v.fingerprint() + " (not in "
                        + host.knownHosts() + ") was not trusted; check the fingerprint, then trust it with: "
                        + "ssh-keyscan -p " + host.port() + " " + host.address() + " >> " + host.knownHosts();
            default:
                break;
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        Throwable cause = e.getCause();
        if (m.contains("Auth fail") || m.contains("Auth cancel")) {
            return who + ": authentication failed as '" + host.user() + "' (offered: "
                    + (offered.isEmpty()
                            ? "nothing: no identity_file, no ssh-agent, no password"
                            : String.join(", ", offered))
                    + ")";
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            return who + ": cannot connect: " + oneLine(cause.getMessage());
        }
        if (cause instanceof UnknownHostException) {
            return who + ": unknown address '" + host.address() + "'";
        }
        if (cause instanceof SocketTimeoutException || m.contains("timeout")) {
            return who + ": no answer within " + timeoutMs + " ms (connect timeout)";
        }
        return who + ": cannot connect: " + oneLine(m.isEmpty() && cause != null ? cause.toString() : m);
    }

    /** The text on one line (newlines become spaces); null becomes empty. */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
