package dev.runbook.engine;

import dev.runbook.model.Outcome;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a run ended, as its closing lines say it.
 *
 * @param outcome the outcome written in {@code incident.closed}
 * @param took time since the incident opened
 * @param log the incident log; null when there is none
 * @param verification what the {@code verify} section said
 * @param failedSteps steps of the main walk that failed and were gone past (0 when none)
 */
public record Closing(Outcome outcome, Duration took, Path log, Verification verification, int failedSteps) {}
