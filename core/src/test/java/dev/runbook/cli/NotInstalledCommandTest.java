package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import org.junit.jupiter.api.Test;

/**
 * Without the sandbox module on the class path (as in this module's tests), {@code sandbox} and
 * {@code drill} answer with one line naming the module and where to put it, and exit 2, whatever
 * they are given.
 */
class NotInstalledCommandTest {

    @Test
    void theSandboxCommandsSayHowToInstallTheModule() {
        int tried = 0;
        for (String command : new String[] {"sandbox", "drill"}) {
            for (String[] rest : new String[][] {{}, {"--help"}, {"RB-P1-001", "--fault", "api-down"}, {"stop"}}) {
                String[] args = new String[rest.length + 1];
                args[0] = command;
                System.arraycopy(rest, 0, args, 1, rest.length);
                CliRun r = CliRun.run(args);
                assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
                assertThat(r.err().lines())
                        .as(r.toString())
                        .singleElement()
                        .asString()
                        .contains("'runbook " + command + "' needs the runbook-sandbox module")
                        .contains("runbook-sandbox.jar beside");
                assertThat(r.out()).isEmpty();
                tried++;
            }
        }
        assertThat(tried).isEqualTo(8);
    }

    @Test
    void theHelpListsThemAsNeedingTheModule() {
        CliRun r = CliRun.run("--help");
        assertThat(r.out())
                .containsPattern("sandbox +Run the practice environment .*\\[needs runbook-sandbox]")
                .containsPattern("drill +Prove a runbook .*\\[needs runbook-sandbox]")
                .contains("  help ");
    }
}
