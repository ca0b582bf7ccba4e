package dev.runbook.library;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.load.Library;
import dev.runbook.model.Runbook;
import dev.runbook.testing.CliRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The runbook library in {@code runbooks/} (issue 4): valid, complete against the seeds, dry-runnable. */
class LibraryTest {

    private static final Path LIBRARY = Path.of("runbooks");

    /** Every seed scenario the library must cover: seed file, section, runbook id. */
    static Stream<Arguments> seedScenarios() {
        return Stream.of(
                Arguments.of("akig-runbooks-incidents-production.md", "RB-P1-001 Bug Critique", "RB-P1-001"),
                Arguments.of("akig-runbooks-incidents-production.md", "RB-P1-002 Authentification Cassée", "RB-P1-002"),
                Arguments.of(
                        "akig-runbooks-incidents-production.md", "RB-P1-003 Base de Données Indisponible", "RB-P1-003"),
                Arguments.of("akig-runbooks-incidents-production.md", "RB-P2-001 Performance Dégradée", "RB-P2-001"),
                Arguments.of("akig-runbooks-incidents-production.md", "RB-P2-002 Fuite Mémoire", "RB-P2-002"),
                Arguments.of("akig-runbooks-incidents-production.md", "RB-P2-003 SMS/Email Outage", "RB-P2-003"),
                Arguments.of("akig-runbooks-incidents-production.md", "RB-P3-001 Bugs Mineurs", "RB-P3-001"),
                Arguments.of("akig-runbooks-incidents-production.md", "RB-P3-002 Feature Dégradée", "RB-P3-002"),
                Arguments.of(
                        "akig-runbooks-incidents-production.md",
                        "Post-incident checklist + Incident Report",
                        "AKIG-POST-INCIDENT"),
                Arguments.of("crewsnow-incident-response-runbook.md", "Stripe down", "CS-P1-STRIPE-DOWN"),
                Arguments.of("crewsnow-incident-response-runbook.md", "Supabase 5xx", "CS-P1-SUPABASE-5XX"),
                Arguments.of("crewsnow-incident-response-runbook.md", "RLS leak", "CS-P1-RLS-LEAK"),
                Arguments.of(
                        "crewsnow-incident-response-runbook.md", "Rollback version précédente", "CS-ROLLBACK-VERSION"),
                Arguments.of(
                        "crewsnow-incident-response-runbook.md",
                        "Feature flag disable + progressive re-enable",
                        "CS-FEATURE-FLAG-ROLLBACK"),
                Arguments.of("crewsnow-incident-response-runbook.md", "Emergency mode", "CS-EMERGENCY-MODE"),
                Arguments.of(
                        "crewsnow-incident-response-runbook.md", "Weekly maintenance checks", "CS-WEEKLY-MAINTENANCE"),
                Arguments.of(
                        "koomy-incident-rollback-protocol.md",
                        "Incident & rollback protocol",
                        "KOOMY-INCIDENT-PROTOCOL"),
                Arguments.of("procedure-rollback-production.md", "Rollback by git SHA", "ROLLBACK-GIT-SHA"),
                Arguments.of("gestion-incidents.md", "Triage impact x urgence", "GEN-TRIAGE"),
                Arguments.of("gestion-incidents.md", "Kubernetes service runbook", "GEN-K8S-SERVICE"),
                Arguments.of("gestion-incidents.md", "Communication templates", "GEN-COMMS"));
    }

    @ParameterizedTest(name = "{0}: {1} → {2}")
    @MethodSource("seedScenarios")
    void everySeedScenarioHasARunbook(String seed, String scenario, String id) throws IOException {
        Library lib = Library.load(List.of(LIBRARY));
        assertThat(lib.byId(id)).as(seed + " / " + scenario).isPresent();
        Runbook rb = lib.byId(id).get();
        String team = seed.startsWith("akig")
                ? "akig"
                : seed.startsWith("crewsnow")
                        ? "crewsnow"
                        : seed.startsWith("koomy") ? "koomy" : seed.startsWith("procedure") ? "rollback" : "generic";
        assertThat(rb.source().path()).startsWith(LIBRARY.resolve(team) + "/" + id.toLowerCase());
    }

    @Test
    void theWholeLibraryIsValidWithUniqueIds() throws IOException {
        Library lib = Library.load(List.of(LIBRARY));
        assertThat(lib.problems()).as("invalid runbooks").isEmpty();
        assertThat(lib.runbooks().values().stream().map(Runbook::id))
                .doesNotHaveDuplicates()
                .hasSizeGreaterThanOrEqualTo(21);
    }

    @Test
    void theReadmeIndexIsWhatListPrints() throws IOException {
        CliRun r = CliRun.run("list", "--format", "markdown");
        assertThat(r.code()).isZero();
        String readme = java.nio.file.Files.readString(LIBRARY.resolve("README.md"));
        assertThat(readme)
                .as("runbooks/README.md index; regenerate with: bin/runbook list --format markdown")
                .contains(r.out().strip());
    }

    static Stream<String> runbookIds() throws IOException {
        return Library.load(List.of(LIBRARY)).runbooks().values().stream().map(Runbook::id);
    }

    @ParameterizedTest(name = "dry-run {0} on local")
    @MethodSource("runbookIds")
    void everyRunbookDryRunsAgainstLocal(String id, @TempDir Path logs) {
        CliRun r = CliRun.run("run", id, "--env", "local", "--dry-run", "--log-dir", logs.toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("the plan is valid").doesNotContain("✗");
    }
}
