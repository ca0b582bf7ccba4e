package dev.runbook.cli;

import static dev.runbook.testing.RunbookProcess.await;
import static dev.runbook.testing.RunbookProcess.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.approval.ApprovalPayload;
import dev.runbook.journal.EventType;
import dev.runbook.journal.JournalReader;
import dev.runbook.testing.CliRun;
import dev.runbook.testing.EmbeddedPostgres;
import dev.runbook.testing.RunbookProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed approvals (issue 11, item 5) with keys made by the stock {@code ssh-keygen}: through the
 * team store from another "machine" with {@code runbook approve}, and at the runner's terminal. Every
 * attack is tried against a waiting run and must be refused and recorded: self-approval, an unknown
 * key, a wrong role, a signature over another command, a tampered payload, a replay of another
 * request and of the same signature, a second approval by the same person.
 */
class ApprovalTest {

    @TempDir
    Path dir;

    private String db;
    private Path inventory;
    private Path signers;
    private final Map<String, Path> keys = new java.util.HashMap<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        StringBuilder allowed = new StringBuilder();
        for (String[] who :
                new String[][] {{"alice", "ops"}, {"carol", "ic"}, {"dave", "dba"}, {"bob", "ops"}, {"eve", ""}}) {
            Path key = dir.resolve("id_" + who[0]);
            assertThat(exec("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who[0], "-f", key.toString()))
                    .startsWith("0:");
            keys.put(who[0], key);
            if (!who[0].equals("eve")) {
                allowed.append(who[0])
                        .append(',')
                        .append(who[1])
                        .append(' ')
                        .append(Files.readString(key.resolveSibling(key.getFileName() + ".pub"))
                                .strip())
                        .append('\n');
            }
        }
        signers = dir.resolve("allowed_signers");
        Files.writeString(signers, allowed.toString());
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    private static String exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + ":" + out;
    }

    private void store() throws Exception {
        db = EmbeddedPostgres.createDatabase("approvals");
        inventory = dir.resolve("environments.yaml");
        Files.writeString(inventory, """
                store:
                  url: %s
                  user: %s
                  password: ${secrets.STORE_PASSWORD}
                environments:
                  prod:
                    vars: {svc: api}
                """.formatted(EmbeddedPostgres.jdbcUrl(db), EmbeddedPostgres.user()));
        assertThat(cli().run("store", "init", "--inventory", inventory.toString())
                        .code())
                .isZero();
    }

    private CliRun.Builder cli() {
        return CliRun.with()
                .env("STORE_PASSWORD", EmbeddedPostgres.password())
                .env("XDG_CACHE_HOME", dir.resolve("cache").toString());
    }

    private Path runbook(String id, String approval) throws Exception {
        Path rb = dir.resolve(id + ".yaml");
        Files.writeString(rb, """
                id: %s
                title: Approvals
                severity: P2
                steps:
                  - id: check
                    shell: echo ok
                  - id: restart-db
                    dangerous: true
                    approval: %s
                    shell: echo "restarted ${env.svc}" > %s
                """.formatted(id, approval, dir.resolve("restarted")));
        return rb;
    }

    /** {@code runbook approve} as another person, on another machine. */
    private CliRun approve(String who, String incident, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "approve",
                incident,
                "restart-db",
                "--yes",
                "--operator",
                who,
                "--signing-key",
                keys.get(who).toString(),
                "--inventory",
                inventory.toString()));
        args.addAll(List.of(extra));
        return cli().env("XDG_CACHE_HOME", dir.resolve("cache-" + who).toString())
                .run(args.toArray(String[]::new));
    }

    /** Signs a payload with the stock ssh-keygen -Y sign (namespace runbook-approval). */
    private String sshKeygenSign(String who, String payload) throws Exception {
        Path f = Files.createTempFile(dir, "payload", ".txt");
        Files.writeString(f, payload);
        assertThat(exec(
                        "ssh-keygen",
                        "-Y",
                        "sign",
                        "-n",
                        ApprovalPayload.NAMESPACE,
                        "-f",
                        keys.get(who).toString(),
                        f.toString()))
                .startsWith("0:");
        return Files.readString(f.resolveSibling(f.getFileName() + ".sig"));
    }

    private void insert(ApprovalPayload p, String payloadText, String signature) throws Exception {
        try (Connection c = EmbeddedPostgres.connect(db);
                PreparedStatement s = c.prepareStatement("insert into runbook.approvals (incident, step, request,"
                        + " attempt, decision, operator, host, payload, signature) values (?,?,?,?,?,?,?,?,?)");
                PreparedStatement n = c.prepareStatement("select pg_notify('runbook_approvals', ?)")) {
            s.setString(1, p.incident());
            s.setString(2, p.step());
            s.setLong(3, p.request());
            s.setInt(4, p.attempt());
            s.setString(5, p.decision().wire());
            s.setString(6, "mallory");
            s.setString(7, "elsewhere");
            s.setString(8, payloadText);
            s.setString(9, signature);
            s.executeUpdate();
            n.setString(1, p.incident());
            n.execute();
        }
    }

    private List<Map<String, Object>> storeEvents(String incident, EventType type) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = EmbeddedPostgres.connect(db);
                PreparedStatement p = c.prepareStatement(
                        "select line from runbook.events where incident = ? and type = ? order by seq")) {
            p.setString(1, incident);
            p.setString(2, type.wire());
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    out.add(new com.fasterxml.jackson.databind.ObjectMapper()
                            .readValue(r.getString(1), new com.fasterxml.jackson.core.type.TypeReference<>() {}));
                }
            }
        }
        return out;
    }

    private String waitingIncident(Path logDir) throws Exception {
        await(
                "the log",
                () -> logDir.toFile().exists() && logDir.toFile().list((d, n) -> n.endsWith(".jsonl")).length == 1);
        Path log = CliRun.onlyLog(logDir);
        String id = log.getFileName().toString().replace(".jsonl", "");
        await("the approval request in the store", () -> {
            try {
                return !storeEvents(id, EventType.APPROVAL_REQUESTED).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        return id;
    }

    @Test
    void everyForgedApprovalIsRefusedAndTwoRealOnesLetTheStepRun() throws Exception {
        store();
        Path rb = runbook("APPROVE-1", "{from: [ic, dba], min: 2, timeout: 2m}");
        Path out = dir.resolve("alice.out");
        Process alice = RunbookProcess.start(
                dir.resolve("alice"),
                out,
                Map.of("STORE_PASSWORD", EmbeddedPostgres.password()),
                "run",
                rb.toString(),
                "--yes",
                "--allow-dangerous",
                "--env",
                "prod",
                "--inventory",
                inventory.toString(),
                "--operator",
                "alice",
                "--signing-key",
                keys.get("alice").toString(),
                "--allowed-signers",
                signers.toString());
        processes.add(alice);
        String id = waitingIncident(dir.resolve("alice/incidents"));
        // the banner comes just after approval.requested is in the log: wait for it, then check it
        await("the approval banner", () -> read(out).contains("APPROVAL NEEDED for step restart-db"));
        assertThat(read(out)).contains("APPROVAL NEEDED for step restart-db").contains("echo \"restarted api\"");
        Map<String, Object> request =
                storeEvents(id, EventType.APPROVAL_REQUESTED).get(0);
        long seq = ((Number) request.get("seq")).longValue();
        String sha = (String) request.get("command_sha256");
        int attacks = 0;

        // 1. self-approval with the runner's own key
        CliRun self = approve("alice", id);
        attacks++;
        assertThat(self.code()).as(self.toString()).isEqualTo(1);
        assertThat(self.out()).contains("self-approval");
        // 2. a key allowed_signers does not list
        CliRun unknown = approve("eve", id);
        attacks++;
        assertThat(unknown.out()).contains("is not in allowed_signers");
        // 3. a listed person without the role
        CliRun wrongRole = approve("bob", id);
        attacks++;
        assertThat(wrongRole.out()).contains("has none of the roles this step needs: ic, dba");
        // 4. carol's real signature over another command
        ApprovalPayload other =
                new ApprovalPayload(id, "restart-db", seq, 1, "0".repeat(64), ApprovalPayload.Decision.GRANTED);
        insert(other, other.text(), sshKeygenSign("carol", other.text()));
        attacks++;
        // 5. carol's real signature, the payload altered after signing (another attempt)
        ApprovalPayload real = new ApprovalPayload(id, "restart-db", seq, 1, sha, ApprovalPayload.Decision.GRANTED);
        String realSig = sshKeygenSign("carol", real.text());
        insert(real, real.text().replace("attempt 1", "attempt 2"), realSig);
        attacks++;
        // 6. a replay of carol's approval of another request
        ApprovalPayload oldRequest =
                new ApprovalPayload(id, "restart-db", seq - 1, 1, sha, ApprovalPayload.Decision.GRANTED);
        insert(oldRequest, oldRequest.text(), sshKeygenSign("carol", oldRequest.text()));
        attacks++;
        // 7. a signature for another namespace (a git commit signature of the same text)
        Path f = Files.createTempFile(dir, "git", ".txt");
        Files.writeString(f, real.text());
        exec("ssh-keygen", "-Y", "sign", "-n", "git", "-f", keys.get("carol").toString(), f.toString());
        insert(real, real.text(), Files.readString(f.resolveSibling(f.getFileName() + ".sig")));
        attacks++;
        await("the seven refusals", () -> {
            try {
                return storeEvents(id, EventType.APPROVAL_REFUSED).size() >= 7;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(dir.resolve("restarted")).doesNotExist();

        // carol's real approval: 1 of 2
        CliRun carol = approve("carol", id);
        assertThat(carol.code()).as(carol.toString()).isZero();
        assertThat(carol.out()).contains("echo \"restarted api\"").contains("approval.granted by carol");
        // 8. the same signature again, 9. carol approving a second time
        insert(real, real.text(), realSig);
        attacks++;
        CliRun again = approve("carol", id);
        attacks++;
        // Ed25519 signatures are deterministic: carol's second signature is the first one again
        assertThat(again.out()).containsAnyOf("already approved this request", "replayed: this signature");
        assertThat(dir.resolve("restarted")).doesNotExist();
        // dave (dba): 2 of 2, the step runs
        CliRun dave = approve("dave", id);
        assertThat(dave.code()).as(dave.toString()).isZero();
        assertThat(alice.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(alice.exitValue()).as(read(out)).isZero();
        assertThat(Files.readString(dir.resolve("restarted"))).isEqualTo("restarted api\n");

        List<Map<String, Object>> refused = storeEvents(id, EventType.APPROVAL_REFUSED);
        assertThat(refused).hasSize(attacks);
        assertThat(refused)
                .extracting(m -> (String) m.get("reason"))
                .anyMatch(r -> r.startsWith("self-approval"))
                .anyMatch(r -> r.contains("is not in allowed_signers"))
                .anyMatch(r -> r.contains("has none of the roles"))
                .anyMatch(r -> r.contains("signed over another command"))
                .anyMatch(r -> r.contains("does not match what was sent"))
                .anyMatch(r -> r.contains("replayed: it approves"))
                .anyMatch(r -> r.contains("replayed: this signature was already received"));
        assertThat(storeEvents(id, EventType.APPROVAL_GRANTED))
                .extracting(m -> m.get("approver"))
                .containsExactly("carol", "dave");
        // the local log holds the same, and the granted events carry signatures ssh-keygen verifies
        Path log = CliRun.onlyLog(dir.resolve("alice/incidents"));
        Map<String, Object> granted = JournalReader.read(log).stream()
                .filter(e -> EventType.APPROVAL_GRANTED.is(e.type()))
                .findFirst()
                .orElseThrow()
                .fields();
        Path sig = dir.resolve("granted.sig");
        Files.writeString(sig, (String) granted.get("signature") + "\n");
        Path payload = dir.resolve("granted.txt");
        Files.writeString(payload, real.text());
        Path stdin = payload;
        ProcessBuilder pb = new ProcessBuilder(
                        "ssh-keygen",
                        "-Y",
                        "verify",
                        "-f",
                        signers.toString(),
                        "-I",
                        "carol",
                        "-n",
                        ApprovalPayload.NAMESPACE,
                        "-s",
                        sig.toString())
                .redirectInput(stdin.toFile())
                .redirectErrorStream(true);
        Process v = pb.start();
        String verified = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(v.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(verified).contains("Good \"runbook-approval\" signature for carol");
        System.out.println("approval attacks tried and held: " + attacks);
    }

    @Test
    void aDenialFailsTheStepAndATimeoutToo() throws Exception {
        store();
        Path rb = runbook("APPROVE-2", "{from: [dba]}");
        Path out = dir.resolve("alice.out");
        Process alice = RunbookProcess.start(
                dir.resolve("alice"),
                out,
                Map.of("STORE_PASSWORD", EmbeddedPostgres.password()),
                "run",
                rb.toString(),
                "--yes",
                "--allow-dangerous",
                "--env",
                "prod",
                "--inventory",
                inventory.toString(),
                "--operator",
                "alice",
                "--allowed-signers",
                signers.toString());
        processes.add(alice);
        String id = waitingIncident(dir.resolve("alice/incidents"));
        CliRun deny = approve("dave", id, "--deny");
        assertThat(deny.code()).as(deny.toString()).isZero();
        assertThat(deny.out()).contains("approval.denied by dave");
        assertThat(alice.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(alice.exitValue()).isEqualTo(1);
        assertThat(read(out)).contains("denied by dave");
        assertThat(dir.resolve("restarted")).doesNotExist();

        Path rb3 = runbook("APPROVE-3", "{from: [dba], timeout: 1s}");
        CliRun timeout = cli().run(
                        "run",
                        rb3.toString(),
                        "--yes",
                        "--allow-dangerous",
                        "--env",
                        "prod",
                        "--inventory",
                        inventory.toString(),
                        "--operator",
                        "alice",
                        "--allowed-signers",
                        signers.toString(),
                        "--log-dir",
                        dir.resolve("logs3").toString());
        assertThat(timeout.code()).isEqualTo(1);
        assertThat(timeout.out()).contains("not approved within 1s (0 of 1 approval(s))");
        assertThat(dir.resolve("restarted")).doesNotExist();
    }

    @Test
    void withoutAStoreTheApproverSignsAtTheRunnersTerminal() throws Exception {
        Files.writeString(dir.resolve("environments.yaml"), "environments:\n  prod:\n    vars: {svc: api}\n");
        Path rb = runbook("APPROVE-4", "{from: [ic]}");
        CliRun r = CliRun.with()
                .typing(
                        "", // run step check
                        "", // run step restart-db
                        "prod", // it is dangerous: the environment's name
                        "a",
                        keys.get("alice").toString(), // self-approval: refused, asked again
                        "a",
                        keys.get("carol").toString())
                .run(
                        "run",
                        rb.toString(),
                        "--env",
                        "prod",
                        "--operator",
                        "alice",
                        "--allowed-signers",
                        signers.toString(),
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("approval refused (alice): self-approval")
                .contains("✓ approved by carol (carol, ic)");
        assertThat(dir.resolve("restarted")).exists();
        List<JournalReader.Event> events = JournalReader.read(CliRun.onlyLog(dir.resolve("logs")));
        assertThat(events.stream().filter(e -> EventType.APPROVAL_GRANTED.is(e.type())))
                .singleElement()
                .satisfies(e -> assertThat(e.str("via")).isEqualTo("terminal"));
    }

    @Test
    void anUnattendedRunWithoutAStoreCannotBeApprovedAndADangerousProtectedStepNeedsApprovalByDefault()
            throws Exception {
        Files.writeString(
                dir.resolve("environments.yaml"),
                "environments:\n  prod:\n    protected: true\n    vars: {svc: api}\n");
        Path rb = dir.resolve("default.yaml");
        Files.writeString(rb, """
                id: APPROVE-5
                title: Default rule
                severity: P2
                steps:
                  - id: restart-db
                    dangerous: true
                    shell: echo restarted > %s
                """.formatted(dir.resolve("restarted")));
        CliRun r = CliRun.with()
                .typing("", "prod", "a", keys.get("dave").toString())
                .run(
                        "run",
                        rb.toString(),
                        "--env",
                        "prod",
                        "--operator",
                        "alice",
                        "--allowed-signers",
                        signers.toString(),
                        "--log-dir",
                        dir.resolve("logs").toString());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("APPROVAL NEEDED for step restart-db: 1 approver(s), anyone in allowed_signers");
        assertThat(dir.resolve("restarted")).exists();

        Path rb6 = runbook("APPROVE-6", "{from: [ic]}");
        Files.writeString(dir.resolve("environments.yaml"), "environments:\n  prod:\n    vars: {svc: api}\n");
        CliRun unattended = CliRun.run(
                "run",
                rb6.toString(),
                "--yes",
                "--allow-dangerous",
                "--env",
                "prod",
                "--allowed-signers",
                signers.toString(),
                "--log-dir",
                dir.resolve("logs6").toString());
        assertThat(unattended.code()).isEqualTo(1);
        assertThat(unattended.out()).contains("this unattended run cannot receive one");
    }
}
