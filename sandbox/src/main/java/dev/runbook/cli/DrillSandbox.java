package dev.runbook.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runbook.sandbox.Faults;
import dev.runbook.sandbox.Sandbox;
import dev.runbook.sandbox.SandboxConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The sandbox as {@code runbook drill} uses it: one it started in this process, or one already
 * running ({@code runbook sandbox --detach}, reached through its loopback admin endpoint), which
 * outlives a killed drill so the drill can be resumed ({@code runbook drill --resume}).
 */
sealed interface DrillSandbox extends AutoCloseable {

    /** Back to a healthy state: every fault cleared, the databases re-created. */
    void reset() throws IOException;

    /** Injects a fault. */
    void inject(String fault);

    /** True when the fault's symptom is observable on the real services. */
    boolean active(String fault);

    /** True when no fault is active and the service answers. */
    boolean healthy();

    /** The active faults' names. */
    List<String> activeFaults();

    /** What a fault does. */
    default String description(String fault) {
        return new Faults().get(fault).map(f -> f.description()).orElse(fault);
    }

    /** The sandbox's scratch directory. */
    Path workDir();

    @Override
    void close();

    /** A sandbox started in this process, stopped on close. */
    record InProcess(Sandbox sb) implements DrillSandbox {
        @Override
        public void reset() throws IOException {
            try {
                sb.reset();
            } catch (java.sql.SQLException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        @Override
        public void inject(String fault) {
            sb.inject(fault);
        }

        @Override
        public boolean active(String fault) {
            return sb.active(fault);
        }

        @Override
        public boolean healthy() {
            return sb.healthy();
        }

        @Override
        public List<String> activeFaults() {
            return sb.activeFaults();
        }

        @Override
        public Path workDir() {
            return sb.config().workDir();
        }

        @Override
        public void close() {
            sb.close();
        }
    }

    /** The sandbox already running on the inventory's ports; left running on close. */
    record Attached(SandboxConfig cfg) implements DrillSandbox {

        /**
         * @throws ExitException 2 when no sandbox answers on the configured port
         */
        public Attached {
            if (SandboxCommand.admin(cfg, "GET", "status") == null) {
                throw new ExitException(
                        ExitCodes.USAGE,
                        "no sandbox answers on 127.0.0.1:" + cfg.apiPort()
                                + ": start one with 'runbook sandbox --detach' (a drill that must survive being killed"
                                + " runs against it)");
            }
        }

        private JsonNode status() {
            JsonNode s = SandboxCommand.admin(cfg, "GET", "status");
            if (s == null) {
                throw new ExitException(ExitCodes.FAILED, "the sandbox on :" + cfg.apiPort() + " stopped answering");
            }
            return s;
        }

        @Override
        public void reset() {
            SandboxCommand.admin(cfg, "POST", "reset");
        }

        @Override
        public void inject(String fault) {
            SandboxCommand.admin(cfg, "POST", "fault/" + fault);
        }

        @Override
        public boolean active(String fault) {
            return activeFaults().contains(fault);
        }

        @Override
        public boolean healthy() {
            return status().path("healthy").asBoolean(false);
        }

        @Override
        public List<String> activeFaults() {
            List<String> out = new ArrayList<>();
            status().path("active_faults").forEach(n -> out.add(n.asText()));
            return out;
        }

        @Override
        public Path workDir() {
            return cfg.workDir();
        }

        @Override
        public void close() {
            // it runs on for the next drill or the resume
        }
    }
}
