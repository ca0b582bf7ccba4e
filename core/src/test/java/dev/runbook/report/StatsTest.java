package dev.runbook.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metrics over a directory of four incidents (values worked out by hand from {@link Fixtures}). */
class StatsTest {

    @TempDir
    Path dir;

    private Stats.Report compute() throws Exception {
        return Stats.compute(List.of(
                IncidentParser.load(Fixtures.resolved(dir)),
                IncidentParser.load(Fixtures.rolledBack(dir)),
                IncidentParser.load(Fixtures.unfinished(dir)),
                IncidentParser.load(Fixtures.minor(dir))));
    }

    @Test
    void overallCountsOutcomesMttaMttrAndBreachRate() throws Exception {
        Stats.Group all = compute().overall();
        assertThat(all.count()).isEqualTo(4);
        assertThat(all.outcomes())
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("resolved", 2),
                        org.assertj.core.api.Assertions.entry("rolled_back", 1),
                        org.assertj.core.api.Assertions.entry("unfinished", 1));
        // MTTA samples: 70s (first decision), 5s, 30s, 120s (first step.started when no decision)
        assertThat(all.mtta()).isEqualTo(new Stats.Summary(4, 56_250L, 50_000L, 120_000L));
        // MTTR samples: 6m05s resolved, 12m rolled back, 20m resolved; the unfinished one is not a sample
        assertThat(all.mttr()).isEqualTo(new Stats.Summary(3, 761_667L, 720_000L, 1_200_000L));
        assertThat(all.withSla()).isEqualTo(3);
        assertThat(all.breached()).isEqualTo(1);
        assertThat(all.breachRate()).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void perSeverityAndMtbfPerRunbook() throws Exception {
        Stats.Report r = compute();
        assertThat(r.bySeverity()).extracting(Stats.Group::name).containsExactly("P1", "P2", "P3");
        Stats.Group p1 = Stats.byName(r).get("P1");
        assertThat(p1.count()).isEqualTo(2);
        assertThat(p1.mtta().median()).isEqualTo(50_000L);
        assertThat(p1.mttr().samples()).isEqualTo(1);
        assertThat(Stats.byName(r).get("P3").breachRate()).isNull();
        // RB-P1-003: end of the first (11-21 10:29:50) to start of the second (11-23 14:00:00)
        assertThat(r.mtbf()).containsExactly(new Stats.Mtbf("RB-P1-003", 2, 185_410_000L));
    }

    @Test
    void percentilesFollowNearestRank() {
        assertThat(Stats.summary(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L))
                        .p90())
                .isEqualTo(9L);
        assertThat(Stats.summary(List.of(10L)).median()).isEqualTo(10L);
        assertThat(Stats.summary(List.of()).mean()).isNull();
    }
}
