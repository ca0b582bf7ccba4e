package dev.runbook.cli;

import dev.runbook.board.BoardServer;
import dev.runbook.console.Terminal;
import dev.runbook.store.Store;
import dev.runbook.store.StoreMirror;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runbook board}: the team's live, read-only incident board in the browser (docs/team.md). */
@Command(
        name = "board",
        header = "Serve a live, read-only web board of the team store's incidents.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Serves a read-only web page of the team store: open incidents with their runbook, severity,",
            "operator, elapsed time against the SLA, escalations and the step being run; each incident's",
            "timeline and Gantt chart (its HTML export), updated live through Server-Sent Events as its",
            "events reach the store; the post-mortem of closed ones. Nothing can be done from the page.",
            "It listens on 127.0.0.1; --listen ADDR serves other machines and then requires the access",
            "token printed at start (Authorization: Bearer TOKEN, or open the printed URL once)."
        },
        footer = {
            "",
            "Examples:",
            "  runbook board --inventory runbooks/environments.yaml",
            "  runbook board --port 8080 --listen 0.0.0.0 --inventory runbooks/environments.yaml",
            "",
            "Exit codes: 0 stopped (Ctrl-C), 1 the store cannot be read or the port bound, 2 usage error."
        })
public final class BoardCommand implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int port = 8090;

    @Option(
            names = "--listen",
            paramLabel = "ADDR",
            description = "Address to listen on (default: 127.0.0.1). Another address requires the access token.")
    String listen;

    @Mixin
    LogDirOption source;

    private final Terminal terminal;

    /** @param terminal where the address is printed */
    public BoardCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        source.useStore = true;
        Store store = source.declared(terminal);
        InetAddress addr;
        try {
            addr = listen == null ? InetAddress.getLoopbackAddress() : InetAddress.getByName(listen);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.USAGE, "--listen " + listen + ": " + e.getMessage(), e);
        }
        String token = addr.isLoopbackAddress() ? null : token();
        try (BoardServer board = new BoardServer(
                store, StoreMirror.dir(store, terminal.env()), new InetSocketAddress(addr, port), token)) {
            String host = addr.isAnyLocalAddress() ? RunCommand.localHost(terminal.env()) : addr.getHostAddress();
            String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + board.port() + "/";
            terminal.out()
                    .println("board of " + store.describe() + ": " + url + (token == null ? "" : "?token=" + token));
            if (token != null) {
                terminal.out().println("access token (Authorization: Bearer …): " + token);
            }
            terminal.out().println("read-only; Ctrl-C stops it");
            terminal.out().flush();
            new CountDownLatch(1).await();
            return ExitCodes.OK;
        } catch (IOException | SQLException e) {
            throw new ExitException(ExitCodes.FAILED, "the board cannot start: " + e.getMessage(), e);
        }
    }

    private static String token() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
