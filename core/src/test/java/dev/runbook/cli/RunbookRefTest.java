package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runbook ids as a responder types them at 3 a.m. (issue 12, item 7): any case, and a near miss. */
class RunbookRefTest {

    @Test
    void anIdInAnyCaseNamesTheRunbook() {
        for (String id : new String[] {"rb-p1-001", "Rb-P1-001", "RB-P1-001"}) {
            CliRun r = CliRun.run("show", id);
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).as(id).contains("RB-P1-001");
        }
    }

    @Test
    void aNearMissSaysWhichIdsWereMeant() {
        CliRun typo = CliRun.run("show", "RB-P1-01");
        assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err())
                .contains("no runbook with id 'RB-P1-01'")
                .contains("did you mean RB-P1-001")
                .contains("(see: runbook list");
        CliRun far = CliRun.run("show", "database-down-everywhere");
        assertThat(far.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(far.err()).doesNotContain("did you mean");
    }

    @Test
    void nearestRanksByEditsThenName() {
        List<String> ids = List.of("RB-P1-001", "RB-P1-002", "RB-P2-001", "ROLLBACK-GIT-SHA");
        assertThat(RunbookRef.nearest("rb-p1-00", ids)).containsExactly("RB-P1-001", "RB-P1-002", "RB-P2-001");
        assertThat(RunbookRef.nearest("rollback", ids)).containsExactly("ROLLBACK-GIT-SHA");
        assertThat(RunbookRef.nearest("zz", ids)).isEmpty();
    }
}
