package dev.runbook.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Debian's headless Chromium for the tests that check pages in a real browser. */
public final class Chromium {

    private Chromium() {}

    /**
     * The browser's path. Without it the test fails when {@code CI} is set (.ci/run installs it)
     * and is skipped otherwise.
     */
    public static String require() {
        String path = System.getenv("PATH");
        for (String name : new String[] {"chromium", "chromium-browser"}) {
            for (String d : (path == null ? "" : path).split(File.pathSeparator)) {
                Path p = Path.of(d.isEmpty() ? "." : d, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty()) {
            Assertions.fail("chromium is not installed but CI is set: install it (apt-get install -y chromium);"
                    + " pages must be checked in a real browser");
        }
        Assumptions.assumeTrue(false, "chromium not installed (apt-get install -y chromium); skipped outside CI");
        return null;
    }

    /**
     * The command line of a headless run: as root in a user namespace (no sandbox), no GPU, and none
     * of the background connections a closed network refuses.
     *
     * @param chromium {@link #require()}
     * @param profile a new, empty user data directory
     */
    public static List<String> command(String chromium, Path profile) {
        return new ArrayList<>(List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profile));
    }
}
