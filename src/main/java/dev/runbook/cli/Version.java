package dev.runbook.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The tool's version, from the build ({@code runbook-version.properties}). */
public final class Version implements CommandLine.IVersionProvider {

    /** The version string, "dev" when run outside a build. */
    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("/runbook-version.properties")) {
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

    @Override
    public String[] getVersion() {
        return new String[] {"runbook " + get(), "Java " + System.getProperty("java.version")};
    }
}
