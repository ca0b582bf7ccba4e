package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The emulated shell's parsing and its answer to commands it does not emulate (no services touched). */
class CommandEmulatorTest {

    private final CommandEmulator emulator = new CommandEmulator(null);

    @Test
    void anUnknownCommandExits127WithNotEmulated() {
        CommandEmulator.Result r = emulator.run("top -b -n 1 | grep node");
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.err()).isEqualTo("sandbox: top: not emulated in sandbox\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aChainStopsAtTheFirstFailure() {
        CommandEmulator.Result r = emulator.run("cd /opt/akig && export A=1 && sudo frobnicate && pm2 restart x");
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.err()).contains("frobnicate: not emulated in sandbox");
    }

    @Test
    void unknownSubcommandsOfEmulatedToolsAreNotEmulatedEither() {
        assertThat(emulator.run("kubectl get pods").exit()).isEqualTo(127);
        assertThat(emulator.run("git revert HEAD").exit()).isEqualTo(127);
        assertThat(emulator.run("systemctl restart nginx").exit()).isEqualTo(5);
    }

    @Test
    void wordsAndChainsHonourQuotes() {
        assertThat(CommandEmulator.words("journalctl --since \"1 hour ago\" -u 'akig backend'"))
                .isEqualTo(List.of("journalctl", "--since", "1 hour ago", "-u", "akig backend"));
        assertThat(CommandEmulator.splitAnd("echo 'a && b' && true")).isEqualTo(List.of("echo 'a && b' ", " true"));
    }
}
