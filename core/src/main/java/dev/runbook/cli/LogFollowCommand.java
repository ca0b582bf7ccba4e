package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.report.Incident;
import dev.runbook.report.IncidentParser;
import dev.runbook.report.Text;
import dev.runbook.report.TimelineEntry;
import dev.runbook.store.Store;
import dev.runbook.store.StoreMirror;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook log follow INCIDENT} (issue 10, item 3): the timeline so far, then each new event
 * as the run writes it (read from the log file, so it works on a run of another process), until
 * {@code incident.closed}. The log is parsed again only when its size changed; a torn last line (an
 * event being written) waits for the next read.
 */
@Command(
        name = "follow",
        header = "Follow a running incident: its timeline, then each event as it is written.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Print the incident's timeline so far, then each new event as the run writes it, until",
            "incident.closed. Works on a log another process is writing (read from the file).",
            "When the log stays unfinished and no run of this machine holds its lock any more, it",
            "stops after --gone-after and says so."
        },
        footer = {
            "",
            "Examples:",
            "  runbook log follow 20261121T102345Z-RB-P1-003",
            "  runbook log follow 20261121T10 --log-dir /shared/incidents",
            "",
            "Exit codes: 0 the incident closed, 1 the log failed verification or its run is gone without closing it,",
            "2 usage error, 130 Ctrl-C."
        })
public final class LogFollowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INCIDENT", description = "Incident id, unique id prefix, or path to a .jsonl log.")
    String ref;

    @Option(
            names = "--gone-after",
            paramLabel = "DURATION",
            description = "Stop when nothing is written for this long and no run of this machine holds the"
                    + " incident's lock (default: 10s).")
    String goneAfter = "10s";

    @Mixin
    LogDirOption dir;

    private final Terminal terminal;

    /** @param terminal where the timeline is printed */
    public LogFollowCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        long gone;
        try {
            gone = dev.runbook.model.Durations.parse(goneAfter).toMillis();
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, "--gone-after: " + e.getMessage(), e);
        }
        return follow(terminal, dir, ref, gone);
    }

    /**
     * Follows an incident of the log directory, or of the team store: there its copy is kept up to
     * date by LISTEN/NOTIFY while it is followed.
     */
    static int follow(Terminal terminal, LogDirOption dir, String ref, long gone) throws InterruptedException {
        Path file = LogSupport.find(ref, dir.resolve(terminal));
        Store store = dir.store(terminal);
        if (store == null) {
            return follow(
                    terminal,
                    file,
                    gone,
                    id -> dir.running(terminal, file.getParent()).contains(id),
                    "--log-dir " + file.getParent());
        }
        String id = file.getFileName().toString().replaceFirst("\\.jsonl$", "");
        try (StoreMirror.Follower f = new StoreMirror.Follower(store, file.getParent(), id)) {
            return follow(
                    terminal,
                    file,
                    gone,
                    i -> f.error() == null
                            && dir.running(terminal, file.getParent()).contains(i),
                    "--store");
        } catch (SQLException e) {
            throw new ExitException(
                    ExitCodes.FAILED,
                    "the team store " + store.describe() + " cannot be followed: " + e.getMessage(),
                    e);
        }
    }

    /**
     * Prints a log's timeline, then each event as it is written, until {@code incident.closed}
     * (also {@code runbook log show --follow}).
     *
     * @param gone ms without a new event and without a live holder of the run's lock before giving up
     * @param held whether a live run holds the incident's lock (asked once the log is quiet)
     * @param where the option naming where the log is, for the resume hint ({@code --log-dir DIR})
     * @return 0 at the close; 1 when the log failed verification or its run is gone
     */
    static int follow(Terminal terminal, Path file, long gone, java.util.function.Predicate<String> held, String where)
            throws InterruptedException {
        PrintWriter out = terminal.out();
        int shown = 0;
        boolean header = false;
        long quietSince = System.nanoTime();
        long readSize = -1;
        Incident in = null;
        while (true) {
            long size = size(file);
            if (size != readSize) {
                // the log grew (or was replaced): parse it again; unchanged, nothing is read
                Incident now = read(file);
                if (now != null) {
                    in = now;
                    readSize = size;
                }
            }
            if (in != null) {
                if (!header) {
                    out.println(in.id() + "  " + in.runbookId() + " (" + in.severity() + ") " + in.runbookTitle()
                            + " · env " + in.env() + " · mode " + in.mode());
                    out.println();
                    header = true;
                }
                if (!in.integrity().ok()) {
                    out.println("⚠ THIS LOG FAILED VERIFICATION: " + file + ":"
                            + in.integrity().badLine() + ": " + in.integrity().reason());
                    out.flush();
                    return ExitCodes.FAILED;
                }
                List<TimelineEntry> t = in.timeline();
                for (; shown < t.size(); shown++) {
                    TimelineEntry e = t.get(shown);
                    out.println(Text.time(e.ts()) + "  " + Text.elapsed(e.elapsedMs()) + "  " + e.text());
                    quietSince = System.nanoTime();
                }
                out.flush();
                if (in.closed()) {
                    return ExitCodes.OK;
                }
                boolean quiet = (System.nanoTime() - quietSince) / 1_000_000 > gone;
                if (quiet && !held.test(in.id())) {
                    out.println("… no run holds this incident any more and its log ends without incident.closed"
                            + " (the run was killed or crashed): continue it with 'runbook resume " + in.id()
                            + " " + where + "'");
                    out.flush();
                    return ExitCodes.FAILED;
                }
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** The default of {@code --gone-after}: 10 s. */
    static final long GONE_AFTER_MS = 10_000;

    /** How often the log is read again, in ms. */
    static final long POLL_MS = 200;

    private static long size(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static Incident read(Path file) {
        try {
            return IncidentParser.load(file);
        } catch (IOException | IllegalArgumentException e) {
            return null; // not yet written, or being replaced: read again
        }
    }
}
