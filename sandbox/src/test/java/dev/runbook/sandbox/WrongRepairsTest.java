package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.SandboxInventory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Honest drills, attacked: against a real sandbox, for each fault a corpus of wrong repairs (the
 * right verb on the wrong target, look-alike names, other contexts and namespaces, unrelated
 * appends) is sent to the emulated hosts and the stand-in kubectl; none may clear the fault, and
 * the one right repair must. Counts the attacks tried and held.
 */
class WrongRepairsTest {

    private static Sandbox sandbox;

    @TempDir
    static Path state;

    @BeforeAll
    static void start() throws Exception {
        Path inventory = SandboxInventory.shifted(state, 500);
        sandbox = Sandbox.start(SandboxConfig.from(dev.runbook.load.InventoryLoader.load(inventory, java.util.Map.of())
                .environment(SandboxConfig.ENV)
                .orElseThrow()));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    /** The wrong repairs per fault, then the right one last. */
    private static final Map<String, List<String>> ATTACKS = Map.of(
            "replica-failover",
            List.of(
                    "systemctl restart postgresql",
                    "systemctl start postgresql",
                    "pm2 restart akig-backend --update-env",
                    "export DATABASE_URL=postgresql://postgres:x@127.0.0.1:{replica}/akig_db && pm2 restart akig-backend",
                    "export DATABASE_URL=postgresql://postgres:x@10.0.0.5:{replica}/akig_db && pm2 restart akig-backend --update-env",
                    "export DATABASE_URL=postgresql://postgres:x@127.0.0.1:{replica}/crewsnow && pm2 restart akig-backend --update-env",
                    "export DATABASE_URL=postgresql://postgres:x@127.0.0.1:{pg}/akig_db && pm2 restart akig-backend --update-env",
                    "export DATABASE_URL=postgresql://postgres:x@127.0.0.1:{replica}/akig_db && pm2 restart akig-frontend --update-env",
                    "export DATABASE_URL=postgresql://postgres:x@127.0.0.1:{replica}/akig_db && pm2 restart akig-backend --update-env"),
            "api-down",
            List.of(
                    "kubectl rollout restart deployment/unrelated-service",
                    "kubectl --context prod -n default rollout restart deployment/akig-backend",
                    "kubectl --context sandbox -n production rollout restart deployment/akig-backend",
                    "kubectl --context=other rollout undo deployment/akig-backend",
                    "kubectl rollout restart akig-backend",
                    "kubectl rollout restart deployment/akig-backend-old",
                    "systemctl restart akig-backend-old",
                    "systemctl restart postgresql",
                    "pm2 restart akig-frontend",
                    "pm2 restart akig",
                    "pm2 reload akig-backendx",
                    "echo pm2 restart akig-backend",
                    "redis-cli FLUSHDB",
                    "git checkout main",
                    "pm2 restart akig-backend"),
            "db-down",
            List.of(
                    "systemctl restart postgresql@99-nonexistent",
                    "systemctl restart postgresql@16-main",
                    "systemctl restart postgres",
                    "systemctl restart postgresql-old",
                    "systemctl status postgresql",
                    "pm2 restart akig-backend",
                    "kubectl rollout restart deployment/postgresql",
                    "systemctl restart postgresql"),
            "auth-broken",
            List.of(
                    "echo JWT_SECRET >> /tmp/notes",
                    "grep '^JWT_SECRET=' /etc/akig/env.production >> /tmp/.env.bak",
                    "grep '^JWT_SECRET=' /tmp/other >> .env",
                    "echo 'JWT_SECRET=guess' >> .env",
                    "cat env.production >> notes # JWT_SECRET",
                    "pm2 restart akig-backend --update-env",
                    "cd /opt/akig/backend && sed -i '/^JWT_SECRET=/d' .env && grep '^JWT_SECRET=' /etc/akig/env.production >> .env && pm2 restart akig-backend --update-env"),
            "k8s-service-down",
            List.of(
                    "kubectl --context sandbox -n default rollout restart deployment/apiserver",
                    "kubectl --context sandbox -n kube-system rollout restart deployment/api",
                    "kubectl --context prod -n default rollout restart deployment/api",
                    "kubectl --context sandbox -n default scale deployment/api --replicas=5",
                    "kubectl --context sandbox -n default rollout restart deployment/akig-backend",
                    "pm2 restart api",
                    "kubectl --context sandbox -n default rollout restart deployment/api"));

    @Test
    void noWrongRepairClearsItsFaultAndTheRightOneDoes() throws Exception {
        int tried = 0;
        int held = 0;
        for (var e : ATTACKS.entrySet()) {
            String fault = e.getKey();
            List<String> commands = e.getValue();
            sandbox.reset();
            sandbox.inject(fault);
            assertThat(sandbox.active(fault)).as(fault + " injected").isTrue();
            for (String wrong : commands.subList(0, commands.size() - 1)) {
                run(wrong);
                tried++;
                assertThat(sandbox.active(fault))
                        .as(fault + " after wrong repair: " + wrong)
                        .isTrue();
                held++;
            }
            String right = commands.get(commands.size() - 1);
            run(right);
            assertThat(sandbox.active(fault))
                    .as(fault + " after the right repair: " + right)
                    .isFalse();
        }
        System.out.printf("WrongRepairsTest: %d wrong repairs tried, %d held%n", tried, held);
        assertThat(held).isEqualTo(tried).isGreaterThanOrEqualTo(40);
    }

    @Test
    void theRlsProbeFailsClosed() throws Exception {
        sandbox.reset();
        assertThat(Faults.ownRowsOnly(sandbox)).as("healthy").isTrue();
        sandbox.inject("rls-leak");
        for (String sabotage : List.of(
                "DROP TABLE matches CASCADE",
                "REVOKE SELECT ON matches FROM crewsnow_user",
                "DROP POLICY IF EXISTS matches_debug ON matches",
                "ALTER TABLE matches DISABLE ROW LEVEL SECURITY")) {
            sandbox.reset();
            sandbox.inject("rls-leak");
            try (var c = sandbox.database().connect(Sandbox.CREWSNOW_DB);
                    var st = c.createStatement()) {
                st.execute(sabotage);
            }
            assertThat(sandbox.active("rls-leak")).as("after " + sabotage).isTrue();
        }
    }

    private static void run(String template) {
        String command = template.replace(
                        "{pg}", String.valueOf(sandbox.config().pgPort()))
                .replace("{replica}", String.valueOf(sandbox.config().replicaPort()));
        if (command.startsWith("kubectl")) {
            sandbox.emulator().runWords(CommandEmulator.words(command));
        } else {
            sandbox.emulator().run(command);
        }
    }
}
