package dev.runbook.sandbox;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One fault the sandbox can inject: what breaks, which runbook is meant to fix it, and a
 * probe of its symptom on the real services (HTTP, SQL), so that a drill sees whether the
 * runbook fixed it.
 *
 * @param name the CLI name ({@code api-down}...)
 * @param description what breaks and what restores it, one line
 * @param runbook the id of the runbook meant to fix it (its {@code drill: {fault: …}})
 * @param inject breaks the sandbox
 * @param clear repairs it without the runbook ({@code runbook sandbox fault NAME --clear})
 * @param symptom true while the symptom is observable
 */
public record Fault(
        String name,
        String description,
        String runbook,
        Consumer<Sandbox> inject,
        Consumer<Sandbox> clear,
        Predicate<Sandbox> symptom) {}
