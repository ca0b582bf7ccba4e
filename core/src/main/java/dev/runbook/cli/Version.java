package dev.runbook.cli;

import dev.runbook.RunbookVersion;
import picocli.CommandLine;

/** {@code --version}: the tool's and the JVM's versions. */
public final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"runbook " + RunbookVersion.get(), "Java " + System.getProperty("java.version")};
    }
}
