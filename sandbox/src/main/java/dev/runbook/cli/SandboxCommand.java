package dev.runbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runbook.console.Terminal;
import dev.runbook.load.InvalidException;
import dev.runbook.load.InventoryLoader;
import dev.runbook.load.Library;
import dev.runbook.model.Inventory;
import dev.runbook.sandbox.Fault;
import dev.runbook.sandbox.Faults;
import dev.runbook.sandbox.Sandbox;
import dev.runbook.sandbox.SandboxConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runbook sandbox}: runs the sandbox (docs/sandbox.md) in the foreground until Ctrl-C
 * or {@code runbook sandbox stop}, or in the background with {@code --detach}; it writes
 * {@code .sandbox/state.json} ({@code pid, api_port, pg_port, ssh_port, started_at}) that
 * {@code status}, {@code fault} and {@code stop} read to reach its loopback-only admin endpoint
 * ({@code /__sandbox/…} on the HTTP port). As root, it re-executes itself under {@code unshare -U}.
 */
@Command(
        name = "sandbox",
        header = "Run the sandbox: the app, PostgreSQL and SSH hosts of env 'sandbox', with faults.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        subcommands = {SandboxCommand.Status.class, SandboxCommand.FaultCmd.class, SandboxCommand.Stop.class},
        description = {
            "Starts, on 127.0.0.1 and with the ports of the inventory's 'sandbox' environment: the application",
            "(HTTP), a real PostgreSQL with the runbooks' schemas, and an SSH endpoint whose shell emulates pm2,",
            "systemctl, redis-cli, kubectl rollout and git checkout. Runs until Ctrl-C (or --detach)."
        },
        footer = {
            "",
            "Examples:",
            "  runbook sandbox                      # foreground, Ctrl-C stops it",
            "  runbook sandbox --detach && runbook sandbox fault api-down",
            "  runbook run RB-P1-001 --env sandbox --yes",
            "  runbook sandbox status; runbook sandbox stop",
            "",
            "Faults: " + "api-down, api-slow, db-down, auth-broken, memory-leak, stripe-webhooks-failing, rls-leak"
                    + " (docs/sandbox.md)."
        })
public final class SandboxCommand implements Callable<Integer> {

    /**
     * The admin API's client, made on first use: picocli builds every subcommand at start-up, and
     * an HttpClient reads the trust store (start-up time, issue 12).
     */
    private static final class Admin {
        static final ObjectMapper JSON = new ObjectMapper();
        static final HttpClient HTTP =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    @Option(names = "--detach", description = "Start in the background, print where it runs, and return.")
    boolean detach;

    @Option(
            names = "--inventory",
            paramLabel = "FILE",
            description = "Inventory file (default: DIR/environments.yaml).")
    Path inventory;

    @Mixin
    LibraryDirOption library;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Terminal terminal;

    /** @param terminal streams and environment */
    public SandboxCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (Unshare.needed(terminal)) {
            return Unshare.reexec(spec.root().commandLine().getParseResult().originalArgs());
        }
        SandboxConfig cfg = config(inventory, library.dir(), terminal);
        if (detach) {
            return detach(cfg);
        }
        Sandbox sb;
        try {
            sb = Sandbox.start(cfg);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, e.getMessage(), e);
        }
        Thread hook = new Thread(() -> stop(sb, cfg), "sandbox-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        writeState(cfg);
        PrintWriter out = terminal.out();
        out.println("sandbox running (pid " + ProcessHandle.current().pid() + "), Ctrl-C or 'runbook sandbox stop'"
                + " to stop");
        describe(out, cfg);
        out.flush();
        while (!sb.awaitStopRequest(Duration.ofSeconds(1))) {
            // serving until Ctrl-C (shutdown hook) or POST /__sandbox/stop
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        stop(sb, cfg);
        out.println("sandbox stopped");
        return ExitCodes.OK;
    }

    private static void stop(Sandbox sb, SandboxConfig cfg) {
        sb.close();
        try {
            Files.deleteIfExists(cfg.stateFile());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void describe(PrintWriter out, SandboxConfig cfg) {
        out.printf("  app         http://127.0.0.1:%d   /api/health, admin /__sandbox/status%n", cfg.apiPort());
        out.printf(
                "  postgresql  127.0.0.1:%d        databases %s (user postgres, password postgres)%n",
                cfg.pgPort(), String.join(", ", cfg.databases()));
        out.printf(
                "  ssh         127.0.0.1:%d        user %s, key %s, known_hosts %s%n",
                cfg.sshPort(), cfg.sshUser(), cfg.identityFile(), cfg.knownHosts());
        out.println("  faults      runbook sandbox fault NAME [--clear]: "
                + String.join(", ", new Faults().all().stream().map(Fault::name).toList()));
    }

    private void writeState(SandboxConfig cfg) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", ProcessHandle.current().pid());
        m.put("api_port", cfg.apiPort());
        m.put("pg_port", cfg.pgPort());
        m.put("ssh_port", cfg.sshPort());
        m.put("admin_url", "http://127.0.0.1:" + cfg.apiPort() + "/__sandbox/");
        m.put("started_at", java.time.Instant.now().toString());
        Files.writeString(
                cfg.stateFile(),
                Admin.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n",
                StandardCharsets.UTF_8);
    }

    /** Starts {@code runbook sandbox} (same JVM, class path and options) in the background; waits up to 90 s. */
    private int detach(SandboxConfig cfg) throws IOException, InterruptedException {
        String javaCmd = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(javaCmd));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "sandbox"));
        for (String a : spec.commandLine().getParseResult().originalArgs()) {
            if (!a.equals("--detach") && !a.equals("sandbox")) {
                cmd.add(a);
            }
        }
        Files.createDirectories(cfg.stateDir());
        Files.deleteIfExists(cfg.stateFile());
        Path log = cfg.stateDir().resolve("sandbox.out");
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(log.toFile())
                .redirectErrorStream(true)
                .start();
        for (int i = 0; i < 180; i++) {
            if (!p.isAlive()) {
                throw new ExitException(
                        ExitCodes.FAILED, "the sandbox did not start (exit " + p.exitValue() + "): see " + log);
            }
            if (Files.exists(cfg.stateFile()) && admin(cfg, "GET", "status") != null) {
                terminal.out().println("sandbox running in the background (pid " + p.pid() + "), output in " + log);
                describe(terminal.out(), cfg);
                terminal.out().flush();
                return ExitCodes.OK;
            }
            Thread.sleep(500);
        }
        p.destroy();
        throw new ExitException(ExitCodes.FAILED, "the sandbox did not answer within 90 s: see " + log);
    }

    /**
     * Reads the sandbox's configuration from the inventory's {@code sandbox} environment.
     *
     * @param inventory {@code --inventory}, or null for {@code DIR/environments.yaml}
     * @param dir the library
     * @param terminal where inventory problems are printed, and the environment the file is checked in
     * @throws ExitException 2 when the inventory is missing, invalid or has no usable {@code sandbox}
     */
    static SandboxConfig config(Path inventory, Path dir, Terminal terminal) {
        return config(inventory(inventory, dir, terminal));
    }

    /**
     * Loads the inventory the sandbox is described in.
     *
     * @param inventory {@code --inventory}, or null for {@code DIR/environments.yaml}
     * @param dir the library
     * @param terminal where inventory problems are printed (one per line), and the environment the
     *     file is checked in
     * @throws ExitException 2 when the inventory is missing or invalid
     */
    static Inventory inventory(Path inventory, Path dir, Terminal terminal) {
        Path file = inventory != null ? inventory : dir.resolve(Library.INVENTORY);
        try {
            return InventoryLoader.load(file, terminal.env());
        } catch (InvalidException e) {
            e.problems().forEach(terminal.err()::println);
            terminal.err().flush();
            throw new ExitException(
                    ExitCodes.USAGE, file + " is invalid (" + e.problems().size() + " problem(s) above)");
        } catch (IOException e) {
            throw new ExitException(ExitCodes.USAGE, file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * The sandbox's configuration from an inventory's {@code sandbox} environment.
     *
     * @throws ExitException 2 when it has no usable {@code sandbox} environment
     */
    static SandboxConfig config(Inventory inv) {
        Inventory.Environment env = inv.environment(SandboxConfig.ENV)
                .orElseThrow(() -> new ExitException(
                        ExitCodes.USAGE, inv.path() + " has no environment '" + SandboxConfig.ENV + "'"));
        try {
            return SandboxConfig.from(env);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, inv.path() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Calls the admin endpoint of the running sandbox (5 s timeout).
     *
     * @return the JSON answer, or null when nothing answers on the port
     * @throws ExitException 1 on an error answer (its {@code error} field)
     */
    static JsonNode admin(SandboxConfig cfg, String method, String route) {
        HttpRequest req = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cfg.apiPort() + "/__sandbox/" + route))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> r = Admin.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode body = Admin.JSON.readTree(r.body());
            if (r.statusCode() >= 400) {
                throw new ExitException(
                        r.statusCode() == 404 ? ExitCodes.USAGE : ExitCodes.FAILED,
                        body.path("error").asText("HTTP " + r.statusCode()));
            }
            return body;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExitException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }

    private static JsonNode running(SandboxConfig cfg) {
        JsonNode s = admin(cfg, "GET", "status");
        if (s == null) {
            throw new ExitException(
                    ExitCodes.FAILED,
                    "no sandbox answers on 127.0.0.1:" + cfg.apiPort()
                            + (Files.exists(cfg.stateFile()) ? " (stale " + cfg.stateFile() + ")" : "")
                            + ": start one with 'runbook sandbox'");
        }
        return s;
    }

    private static void printStatus(PrintWriter out, JsonNode s) {
        out.printf(
                "sandbox pid %s, started %s%n",
                s.path("pid").asText(), s.path("started_at").asText());
        out.printf(
                "  app         http://127.0.0.1:%s   backend %s%n",
                s.path("api_port").asText(), s.path("backend").asText());
        out.printf(
                "  postgresql  127.0.0.1:%s        %s%n",
                s.path("pg_port").asText(), s.path("postgresql").asText());
        out.printf(
                "  ssh         127.0.0.1:%s        running%n",
                s.path("ssh_port").asText());
        if (s.path("faults").isEmpty()) {
            out.println("faults: none");
        }
        for (JsonNode f : s.path("faults")) {
            out.printf(
                    "fault %s: %s (runbook %s) — %s%n",
                    f.path("name").asText(),
                    f.path("active").asBoolean() ? "ACTIVE" : "fixed",
                    f.path("runbook").asText(),
                    f.path("description").asText());
        }
        out.flush();
    }

    /** {@code runbook sandbox status}: what runs and which faults are active. */
    @Command(
            name = "status",
            header = "Show what the running sandbox runs and which faults are active.",
            mixinStandardHelpOptions = true,
            footer = {"", "Exit codes: 0 running, 1 no sandbox answers."})
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        SandboxCommand parent;

        private final Terminal terminal;

        /** @param terminal streams */
        Status(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            SandboxConfig cfg = config(parent.inventory, parent.library.dir(), terminal);
            printStatus(terminal.out(), running(cfg));
            return ExitCodes.OK;
        }
    }

    /** {@code runbook sandbox fault NAME [--clear]}: injects or clears a fault in the running sandbox. */
    @Command(
            name = "fault",
            header = "Inject (or --clear) a fault in the running sandbox.",
            mixinStandardHelpOptions = true,
            footer = {
                "",
                "Faults: api-down, api-slow, db-down, auth-broken,"
                        + " memory-leak, stripe-webhooks-failing, rls-leak (docs/sandbox.md).",
                "Exit codes: 0 done, 1 no sandbox answers or the fault failed, 2 unknown fault."
            })
    static final class FaultCmd implements Callable<Integer> {
        @CommandLine.ParentCommand
        SandboxCommand parent;

        @Parameters(paramLabel = "NAME", description = "The fault.")
        String name;

        @Option(names = "--clear", description = "Repair what the fault broke.")
        boolean clear;

        private final Terminal terminal;

        /** @param terminal streams */
        FaultCmd(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            Fault f = new Faults()
                    .get(name)
                    .orElseThrow(() -> new ExitException(
                            ExitCodes.USAGE,
                            "unknown fault '"
                                    + name + "' (known: "
                                    + String.join(
                                            ", ",
                                            new Faults()
                                                    .all().stream()
                                                            .map(Fault::name)
                                                            .toList())
                                    + ")"));
            SandboxConfig cfg = config(parent.inventory, parent.library.dir(), terminal);
            running(cfg);
            JsonNode s = admin(cfg, clear ? "DELETE" : "POST", "fault/" + name);
            terminal.out()
                    .println((clear ? "cleared " : "injected ")
                            + name
                            + (clear ? "" : " (fix: runbook " + f.runbook() + ")"));
            printStatus(terminal.out(), s);
            return ExitCodes.OK;
        }
    }

    /** {@code runbook sandbox stop}: stops the running sandbox. */
    @Command(name = "stop", header = "Stop the running sandbox.", mixinStandardHelpOptions = true)
    static final class Stop implements Callable<Integer> {
        @CommandLine.ParentCommand
        SandboxCommand parent;

        private final Terminal terminal;

        /** @param terminal streams */
        Stop(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() throws InterruptedException {
            SandboxConfig cfg = config(parent.inventory, parent.library.dir(), terminal);
            running(cfg);
            admin(cfg, "POST", "stop");
            for (int i = 0; i < 60 && admin(cfg, "GET", "status") != null; i++) {
                Thread.sleep(500);
            }
            if (admin(cfg, "GET", "status") != null) {
                throw new ExitException(
                        ExitCodes.FAILED,
                        "the sandbox still answers after 30 s: stop its process"
                                + " by hand (see .sandbox/state.json for its pid)");
            }
            terminal.out().println("sandbox stopped");
            return ExitCodes.OK;
        }
    }
}
