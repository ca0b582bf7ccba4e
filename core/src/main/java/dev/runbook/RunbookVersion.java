package dev.runbook;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The tool's version, from the build ({@code runbook-version.properties}); "dev" outside a build. */
public final class RunbookVersion {

    private RunbookVersion() {}

    /** The version string, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String get() {
        try (InputStream in = RunbookVersion.class.getResourceAsStream("/runbook-version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
