package dev.runbook.cli;

import dev.runbook.report.Incident;
import dev.runbook.report.IncidentParser;
import dev.runbook.report.IncidentRef;
import java.io.IOException;
import java.nio.file.Path;

/** What the {@code runbook log} subcommands share: finding and loading an incident, mapping failures to exit codes. */
final class LogSupport {

    private LogSupport() {}

    /**
     * Finds a log from an INCIDENT argument.
     *
     * @throws ExitException {@link ExitCodes#USAGE} when nothing or several incidents match
     */
    static Path find(String ref, Path logDir) {
        try {
            return IncidentRef.resolve(ref, logDir);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.USAGE, e.getMessage());
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, logDir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /**
     * Loads (verifies and parses) a log.
     *
     * @throws ExitException {@link ExitCodes#FAILED} when it cannot be read or holds no incident
     */
    static Incident load(Path file) {
        try {
            return IncidentParser.load(file);
        } catch (IOException e) {
            throw new ExitException(ExitCodes.FAILED, file + ": cannot read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ExitException(ExitCodes.FAILED, e.getMessage(), e);
        }
    }

    /**
     * Refuses a log whose chain is broken unless forced.
     *
     * @throws ExitException {@link ExitCodes#FAILED} naming the first bad line
     */
    static void requireIntact(Incident in, Path file, boolean force) {
        if (!in.integrity().ok() && !force) {
            throw new ExitException(
                    ExitCodes.FAILED,
                    file + ":" + in.integrity().badLine() + ": "
                            + in.integrity().reason() + " (the log failed verification; --force to use it anyway)");
        }
    }
}
