package dev.runbook.action;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.Slf4jLogger;
import dev.runbook.action.ssh.HostResolver;
import dev.runbook.action.ssh.RemoteCommand;
import dev.runbook.action.ssh.SshConnector;
import dev.runbook.action.ssh.SshException;
import dev.runbook.action.ssh.SshHost;
import dev.runbook.action.ssh.SshSession;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Durations;
import dev.runbook.model.Inventory;
import dev.runbook.model.StepStatus;
import dev.runbook.template.Renderer;
import dev.runbook.template.ShellCommand;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code ssh} action (contract, "Actions"; issue 3): runs one command on inventory hosts
 * over SSH with JSch.
 *
 * <p><b>Hosts.</b> {@code hosts} names hosts of the selected environment or its groups
 * (expanded in order, each host once); an unknown name fails the step with one line listing
 * the known hosts and groups. Connection settings come from the inventory, then
 * {@code ~/.ssh/config}, then OpenSSH defaults ({@link HostResolver}); {@code jump} tunnels
 * through another host of the environment, like {@code ProxyJump}.
 *
 * <p><b>Host keys</b> are always verified ({@code StrictHostKeyChecking=yes}) against the
 * host's known_hosts file; an unknown key is trusted only when
 * {@link ActionContext#hostKeys()} says so (then recorded), a changed key is always refused
 * with a line starting {@code HOST KEY CHANGED for <host> (<address:port>)}
 * ({@link dev.runbook.action.ssh.KnownHostsVerifier}).
 *
 * <p><b>Fan-out.</b> At most {@code parallel} hosts (default 1: a rolling run, one host after
 * another) run at once, started in the order written; after the first host fails (error,
 * timeout or a failed {@code expect}) no new host is started, unless
 * {@link ActionContext#keepGoing()} ({@code on_failure: continue}); hosts never started are
 * {@code not_started}. Each stdout/stderr line goes live to {@code ctx.output().line(host, line)}.
 *
 * <p><b>Result fields</b>: {@code exit} (the worst exit: the highest exit status; -1 when
 * every host that ran exited 0 but one could not connect or timed out), {@code hosts}
 * (host name → {@code exit}, {@code stdout}, {@code stderr}, {@code started_at},
 * {@code finished_at} (RFC 3339 UTC with ms, null when not started), {@code duration_ms},
 * {@code error} (null when it ran and passed), {@code status}
 * ({@code succeeded|failed|timed_out|not_started})), {@code failed_hosts} (names of the hosts
 * whose status is {@code failed} or {@code timed_out}, in order). <b>Per-host timing is not a
 * new event type</b>: it is logged inside the step's {@code step.finished} event, as
 * {@code result.hosts.<name>.started_at/finished_at} (documented in docs/ssh.md).
 * The step is {@code failed} when a host failed, else {@code timed_out} when a host timed
 * out, else {@code succeeded}. {@code expect} ({@code exit} default 0,
 * {@code stdout_contains}, {@code stdout_matches}) applies to every host.
 *
 * <p><b>Timeouts.</b> Connecting (TCP, handshake, authentication) is limited to 10 s, or
 * {@code ctx.timeout()} when shorter. The step's timeout ({@code ctx.timeout()}, default 5
 * minutes) limits <em>each host's command</em>, so a rolling run over many hosts is not cut
 * short by the sum of the hosts' times; a host past it is sent {@code KILL}, its channel
 * closed, and is {@code timed_out}. Keep-alive probes every 15 s, 3 missed end a dead session.
 *
 * <p><b>Sessions</b>: one per host per run, in {@link Resources} under {@code ssh:<host>},
 * reused by later steps, discarded and reopened when found disconnected, closed at the end
 * of the run. <b>Ctrl-C</b> closes the running channels (a {@link Cancellation} hook) and
 * {@link #execute} throws {@link InterruptedException}.
 *
 * <p><b>Injection safety</b>: the command is rendered with {@link Renderer#shell}: each
 * interpolated value is one single-quoted word for the remote shell too.
 *
 * <p>JSch logs through SLF4J ({@link Slf4jLogger}); this class never prints.
 */
public final class SshAction implements Action<ActionSpec.Ssh> {

    /** The command timeout when the step gives none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    /** The longest connect (TCP + SSH handshake + authentication). */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_JUMPS = 8;

    static {
        JSch.setLogger(new Slf4jLogger());
    }

    private final Path home;
    private final Path sshConfig;
    private final Path agentSocket;
    private final boolean agentOfInvocation;

    /**
     * Uses the user's home directory ({@code user.home}: the password database's, as OpenSSH
     * does), its {@code .ssh/config}, and the ssh-agent of the invocation's {@code SSH_AUTH_SOCK}.
     */
    public SshAction() {
        this(Path.of(System.getProperty("user.home")), null);
    }

    /**
     * An action that uses the ssh-agent of the invocation's {@code SSH_AUTH_SOCK} ({@link
     * ActionContext#processEnv}), when set, unless the ssh config's {@code IdentityAgent} says
     * otherwise.
     *
     * @param home the directory {@code ~} stands for (known_hosts, default keys)
     * @param sshConfig the OpenSSH client config to read; null means {@code home/.ssh/config};
     *     a missing file is no config
     */
    public SshAction(Path home, Path sshConfig) {
        this(home, sshConfig, null, true);
    }

    /**
     * An action with a given ssh-agent, whatever the invocation's {@code SSH_AUTH_SOCK}.
     *
     * @param home the directory {@code ~} stands for (known_hosts, default keys)
     * @param sshConfig the OpenSSH client config to read; null means {@code home/.ssh/config};
     *     a missing file is no config
     * @param agentSocket the ssh-agent's socket; null for none
     */
    public SshAction(Path home, Path sshConfig, Path agentSocket) {
        this(home, sshConfig, agentSocket, false);
    }

    private SshAction(Path home, Path sshConfig, Path agentSocket, boolean agentOfInvocation) {
        this.home = home;
        this.sshConfig = sshConfig != null ? sshConfig : home.resolve(".ssh").resolve("config");
        this.agentSocket = agentSocket;
        this.agentOfInvocation = agentOfInvocation;
    }

    private static Path agentSocket(String sshAuthSock) {
        return sshAuthSock == null || sshAuthSock.isBlank() ? null : Path.of(sshAuthSock);
    }

    @Override
    public Duration defaultTimeout() {
        return DEFAULT_TIMEOUT;
    }

    /**
     * {@code web1, web2: <masked command>}, groups expanded over the environment (names as
     * written when it is null or a name is unknown: {@link #execute} reports that). Opens no
     * connection.
     */
    @Override
    public String target(ActionSpec.Ssh spec, Renderer renderer, Inventory.Environment env) {
        List<String> names = spec.hosts();
        if (env != null) {
            try {
                names = HostResolver.expandNames(spec.hosts(), env);
            } catch (IllegalArgumentException unknown) {
                names = spec.hosts();
            }
        }
        return String.join(", ", names) + ": "
                + renderer.shell(spec.command(), spec.allowOptionValues()).display();
    }

    @Override
    public ActionResult execute(ActionSpec.Ssh spec, ActionContext ctx) throws InterruptedException {
        List<String> names;
        try {
            names = HostResolver.expandNames(spec.hosts(), ctx.environment());
        } catch (IllegalArgumentException e) {
            Map<String, Object> f = ActionResult.newFields();
            f.put("exit", -1);
            f.put("hosts", new LinkedHashMap<String, Object>());
            f.put("failed_hosts", List.of());
            return ActionResult.failed(f, e.getMessage());
        }
        ShellCommand command = ctx.renderer().shell(spec.command(), spec.allowOptionValues());
        HostResolver resolver;
        try {
            resolver = new HostResolver(
                    home,
                    sshConfig,
                    agentOfInvocation ? agentSocket(ctx.processEnv().get("SSH_AUTH_SOCK")) : agentSocket);
        } catch (UncheckedIOException e) {
            Map<String, Object> f = ActionResult.newFields();
            f.put("exit", -1);
            f.put("hosts", new LinkedHashMap<String, Object>());
            f.put("failed_hosts", new ArrayList<>(names));
            return ActionResult.failed(f, e.getMessage());
        }
        Duration connect = ctx.timeout().compareTo(CONNECT_TIMEOUT) < 0 ? ctx.timeout() : CONNECT_TIMEOUT;
        int connectMs = (int) Math.max(1, connect.toMillis());
        SshConnector connector = new SshConnector(ctx.hostKeys(), ctx.renderer(), connectMs);
        Run run = new Run(spec, ctx, command, resolver, connector, connectMs);

        Map<String, HostRun> runs = new LinkedHashMap<>();
        names.forEach(n -> runs.put(n, new HostRun(n)));
        Semaphore permits = new Semaphore(Math.max(1, spec.parallel()));
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        AutoCloseable hook = ctx.cancellation().onCancel(() -> run.running.forEach(RemoteCommand::kill));
        try {
            for (String name : names) {
                permits.acquire();
                if (ctx.cancellation().cancelled() || stop.get() && !ctx.keepGoing()) {
                    permits.release();
                    break;
                }
                HostRun hr = runs.get(name);
                started.incrementAndGet();
                if (runs.size() > 1) {
                    ctx.output().progress(fanOut(runs, started.get()));
                }
                Thread t = new Thread(
                        () -> {
                            try {
                                run.host(hr);
                            } finally {
                                if (hr.status != StepStatus.SUCCEEDED) {
                                    stop.set(true);
                                }
                                if (runs.size() > 1) {
                                    ctx.output().progress(fanOut(runs, started.get()));
                                }
                                permits.release();
                            }
                        },
                        "ssh-" + name);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            run.running.forEach(RemoteCommand::kill);
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                t.join(2000);
            }
            throw e;
        } finally {
            try {
                hook.close();
            } catch (Exception ignored) {
                // unregistering a hook cannot fail
            }
        }
        if (ctx.cancellation().cancelled()) {
            throw new InterruptedException("step " + ctx.stepId() + " cancelled");
        }
        return result(runs, ctx, spec);
    }

    /**
     * The fan-out's live status (a transient line on a terminal, issue 12, item 10): {@code 3/10
     * done · 1 failed (web3) · 2 running}.
     */
    private static String fanOut(Map<String, HostRun> runs, int started) {
        List<String> failed = new ArrayList<>();
        int done = 0;
        for (HostRun r : runs.values()) {
            StepStatus st = r.status; // set once, when the host is done
            if (st != null) {
                done++;
                if (st != StepStatus.SUCCEEDED) {
                    failed.add(r.name);
                }
            }
        }
        int running = Math.max(0, started - done);
        return done + "/" + runs.size() + " done"
                + (failed.isEmpty() ? "" : " · " + failed.size() + " failed (" + String.join(", ", failed) + ")")
                + (running == 0 ? "" : " · " + running + " running");
    }

    private ActionResult result(Map<String, HostRun> runs, ActionContext ctx, ActionSpec.Ssh spec) {
        Map<String, Object> hosts = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        List<String> notStarted = new ArrayList<>();
        String firstError = null;
        String firstTimeout = null;
        Integer worst = null;
        boolean anyMinusOne = false;
        for (HostRun r : runs.values()) {
            hosts.put(r.name, r.toMap());
            if (r.status == null) {
                notStarted.add(r.name);
            } else if (r.status == StepStatus.FAILED || r.status == StepStatus.TIMED_OUT) {
                failed.add(r.name);
                if (r.status == StepStatus.FAILED && firstError == null) {
                    firstError = r.error;
                }
                if (r.status == StepStatus.TIMED_OUT && firstTimeout == null) {
                    firstTimeout = r.error;
                }
            }
            if (r.exit != null) {
                if (r.exit == -1) {
                    anyMinusOne = true;
                } else {
                    worst = worst == null ? r.exit : Math.max(worst, r.exit);
                }
            }
        }
        int exit = worst == null || worst == 0 && anyMinusOne ? (anyMinusOne ? -1 : 0) : worst;
        Map<String, Object> f = ActionResult.newFields();
        f.put("exit", exit);
        f.put("hosts", hosts);
        f.put("failed_hosts", failed);
        String skipped = notStarted.isEmpty() ? "" : "; not started: " + String.join(", ", notStarted);
        if (firstError != null) {
            long nFailed = runs.values().stream()
                    .filter(r -> r.status == StepStatus.FAILED)
                    .count();
            String msg = nFailed == 1 && runs.size() == 1
                    ? firstError
                    : failed.size() + " of " + runs.size() + " hosts failed (" + String.join(", ", failed) + "): "
                            + firstError + skipped;
            return ActionResult.failed(f, ctx.masker().mask(msg));
        }
        if (firstTimeout != null) {
            String msg = runs.size() == 1
                    ? firstTimeout
                    : failed.size() + " of " + runs.size() + " hosts timed out (" + String.join(", ", failed) + "): "
                            + firstTimeout + skipped;
            return ActionResult.timedOut(f, ctx.masker().mask(msg));
        }
        return ActionResult.ok(f);
    }

    /** One attempt's shared state: what every host thread needs. */
    private static final class Run {
        final ActionSpec.Ssh spec;
        final ActionContext ctx;
        final ShellCommand command;
        final HostResolver resolver;
        final SshConnector connector;
        final int connectMs;
        final Set<Channel> running = ConcurrentHashMap.newKeySet();

        Run(
                ActionSpec.Ssh spec,
                ActionContext ctx,
                ShellCommand command,
                HostResolver resolver,
                SshConnector connector,
                int connectMs) {
            this.spec = spec;
            this.ctx = ctx;
            this.command = command;
            this.resolver = resolver;
            this.connector = connector;
            this.connectMs = connectMs;
        }

        /** Runs the command on one host and fills in its record; never throws. */
        void host(HostRun r) {
            r.startedAt = Instant.now();
            try {
                Session session = session(r.name);
                RemoteCommand.Result res;
                try {
                    res = RemoteCommand.run(session, r.name, command, ctx.timeout(), connectMs, ctx.output(), running);
                } catch (SshException channelFailed) {
                    if (session.isConnected() || ctx.cancellation().cancelled()) {
                        throw channelFailed;
                    }
                    // a session reused from an earlier step had died: reconnect once
                    ctx.resources().discard("ssh:" + r.name);
                    res = RemoteCommand.run(
                            session(r.name), r.name, command, ctx.timeout(), connectMs, ctx.output(), running);
                }
                r.exit = res.exit();
                r.stdout = res.stdout();
                r.stderr = res.stderr();
                if (res.timedOut()) {
                    r.status = StepStatus.TIMED_OUT;
                    r.error = r.name + ": timed out after " + Durations.format(ctx.timeout())
                            + " (KILL sent, channel closed)";
                } else {
                    r.error = checkExpect(r, res);
                    r.status = r.error == null ? StepStatus.SUCCEEDED : StepStatus.FAILED;
                }
            } catch (SshException e) {
                r.exit = -1;
                r.status = StepStatus.FAILED;
                r.error = e.getMessage();
            } catch (InterruptedException e) {
                r.exit = -1;
                r.status = StepStatus.FAILED;
                r.error = r.name + ": cancelled";
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                r.exit = -1;
                r.status = StepStatus.FAILED;
                r.error = r.name + ": " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            r.finishedAt = Instant.now();
        }

        private String checkExpect(HostRun r, RemoteCommand.Result res) {
            List<String> problems = ExecExpectations.problems(
                    spec.expect(),
                    ctx.renderer(),
                    new ExecExpectations.Ended(res.exit(), res.exitSignal(), res.stdout(), res.stderr()));
            return problems.isEmpty() ? null : r.name + ": " + problems.get(0);
        }

        /** The host's session from the run's resources, connected (through its jump host). */
        private Session session(String name) throws SshException, InterruptedException {
            checkJumpChain(name);
            return session(name, 0);
        }

        private Session session(String name, int depth) throws SshException, InterruptedException {
            Inventory.Host h = ctx.environment().hosts().get(name);
            if (h == null) {
                throw new SshException("jump host '" + name + "' is not a host of environment '"
                        + ctx.environment().name() + "'");
            }
            SshHost host;
            try {
                host = resolver.resolve(h);
            } catch (IllegalArgumentException e) {
                throw new SshException(name + ": " + e.getMessage(), e);
            }
            return reuse("ssh:" + name, name, () -> connector.open(host, jumpSession(host, depth)));
        }

        /** The session to tunnel through: the inventory's {@code jump:} host, else the ssh config's ProxyJump chain. */
        private Session jumpSession(SshHost host, int depth) throws SshException, InterruptedException {
            if (host.jump() != null) {
                return session(host.jump(), depth + 1);
            }
            return proxyJump(host.proxyJump(), "");
        }

        /**
         * Connects a ProxyJump chain from the ssh config, first hop first (its own ProxyJump applies,
         * the later hops' do not, as with ssh -J), each hop's session kept in the run's resources.
         *
         * @return the session of the last hop; null for an empty chain
         */
        private Session proxyJump(List<SshHost> hops, String via) throws SshException, InterruptedException {
            Session through = null;
            String chain = via;
            for (SshHost hop : hops) {
                Session prev = through;
                String upTo = chain + (chain.isEmpty() ? "" : ",") + hop.userHostPort();
                through = reuse(
                        "ssh-jump:" + upTo,
                        hop.name(),
                        () -> connector.open(hop, prev != null ? prev : proxyJump(hop.proxyJump(), upTo + "<")));
                chain = upTo;
            }
            return through;
        }

        /** The session kept under {@code key}, connected with {@code open} when it has none or it broke. */
        private Session reuse(String key, String name, SshSession.Opener open)
                throws SshException, InterruptedException {
            SshSession s = wrapper(key, name);
            if (s.broken()) {
                ctx.resources().discard(key);
                s = wrapper(key, name);
            }
            return s.connected(open);
        }

        private SshSession wrapper(String key, String name) throws SshException {
            try {
                return ctx.resources().get(key, SshSession.class, () -> new SshSession(name));
            } catch (Exception e) {
                throw new SshException(name + ": " + e.getMessage(), e);
            }
        }

        private void checkJumpChain(String name) throws SshException {
            Set<String> seen = new HashSet<>();
            List<String> chain = new ArrayList<>();
            String n = name;
            while (n != null) {
                chain.add(n);
                if (!seen.add(n) || chain.size() > MAX_JUMPS + 1) {
                    throw new SshException(name + ": jump hosts loop or chain too long: " + String.join(" -> ", chain));
                }
                Inventory.Host h = ctx.environment().hosts().get(n);
                n = h == null ? null : h.jump();
            }
        }
    }

    /** What happened on one host. */
    private static final class HostRun {
        /** {@code hosts.<name>.status} of a host never reached (docs/ssh.md): an earlier host failed. */
        static final String NOT_STARTED = "not_started";

        final String name;
        volatile Instant startedAt;
        volatile Instant finishedAt;
        volatile Integer exit;
        volatile String stdout = "";
        volatile String stderr = "";
        volatile String error;
        /** How the command ended on this host; null while not started. */
        volatile StepStatus status;

        HostRun(String name) {
            this.name = name;
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("exit", exit);
            m.put("stdout", stdout);
            m.put("stderr", stderr);
            m.put("started_at", startedAt == null ? null : TS.format(startedAt));
            m.put("finished_at", finishedAt == null ? null : TS.format(finishedAt));
            m.put(
                    "duration_ms",
                    startedAt == null || finishedAt == null
                            ? null
                            : finishedAt.toEpochMilli() - startedAt.toEpochMilli());
            m.put("error", status == null ? "not started: an earlier host failed" : error);
            m.put("status", status == null ? NOT_STARTED : status.wire());
            return m;
        }
    }
}
