package dev.runbook.cli;

import java.util.List;

/** The sandbox module's commands, {@code runbook sandbox} and {@code runbook drill} ({@link CommandModule}). */
public final class SandboxModule implements CommandModule {

    @Override
    public List<Class<?>> commands() {
        return List.of(SandboxCommand.class, DrillCommand.class);
    }
}
