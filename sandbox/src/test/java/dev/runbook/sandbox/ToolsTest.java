package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.load.InventoryLoader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in tools through the shims a real sandbox (ports of env {@code sandbox}) writes in
 * {@code .sandbox/bin}: each run is a separate {@code /bin/sh} + JVM process, as in a {@code shell} step.
 */
class ToolsTest {

    private static Sandbox sandbox;

    @TempDir
    static Path state;

    @TempDir
    Path tmp;

    /** The library's env {@code sandbox} on other ports and with its files in a temp dir: runs beside a sandbox. */
    @BeforeAll
    static void start() throws Exception {
        Path file = dev.runbook.testing.SandboxInventory.shifted(state, 400);
        var env = InventoryLoader.load(file, java.util.Map.of())
                .environment(SandboxConfig.ENV)
                .orElseThrow();
        assertThat(env.shellPath()).containsExactly(state + "/bin");
        sandbox = Sandbox.start(SandboxConfig.from(env));
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    /** exit code, stdout, stderr of one shim run in dir. */
    private record Run(int exit, String out, String err) {}

    private Run shim(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(sandbox.config().binDir().resolve(args[0]).toAbsolutePath().toString());
        cmd.addAll(List.of(args).subList(1, args.length));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("PGPASSWORD", "postgres");
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void theShimsAreExecutableScriptsNamingThisJavaAndClassPath() throws Exception {
        for (String name : Tools.NAMES) {
            Path shim = sandbox.config().binDir().resolve(name);
            assertThat(Files.isExecutable(shim)).as(name).isTrue();
            assertThat(Files.readString(shim))
                    .startsWith("#!/bin/sh\n")
                    .contains(Tools.class.getName() + " " + name)
                    .contains("http://127.0.0.1:" + sandbox.config().apiPort() + "/__sandbox/");
        }
    }

    @Test
    void pgDumpWritesInsertsOfEveryPublicTable() throws Exception {
        String uri = "postgresql://postgres@127.0.0.1:" + sandbox.config().pgPort() + "/crewsnow";
        Run r = shim(tmp, "pg_dump", "--dbname=" + uri, "--file=snap.sql");
        Run stdout = shim(tmp, "pg_dump", "-d", uri);

        assertThat(r.exit()).as(r.toString()).isZero();
        String dump = Files.readString(tmp.resolve("snap.sql"));
        assertThat(dump)
                .contains("Sandbox stand-in for pg_dump")
                .contains(
                        "INSERT INTO public.\"matches\" (\"id\", \"user_id\", \"partner\") VALUES ('1', '1', 'Marc');")
                .contains("INSERT INTO public.\"feature_flags\"");
        assertThat(stdout.out()).contains("INSERT INTO public.\"matches\"");
    }

    @Test
    void pgDumpFailsInOneLineWhenItCannotConnect() throws Exception {
        Run r = shim(tmp, "pg_dump", "--dbname=postgresql://postgres@127.0.0.1:1/crewsnow", "-f", "x.sql");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip())
                .startsWith("pg_dump: error: connection to server at \"127.0.0.1\", port 1 failed")
                .doesNotContain("\n");
        assertThat(tmp.resolve("x.sql")).doesNotExist();
    }

    @Test
    void supabaseDbResetClearsTheRlsLeak() throws Exception {
        sandbox.inject("rls-leak");
        assertThat(sandbox.active("rls-leak")).isTrue();

        Run r = shim(
                tmp,
                "supabase",
                "db",
                "reset",
                "--db-url",
                "postgresql://postgres@127.0.0.1:" + sandbox.config().pgPort() + "/crewsnow",
                "--yes");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Resetting remote database...").contains("Finished supabase db reset.");
        assertThat(sandbox.active("rls-leak")).isFalse();
        sandbox.clear("rls-leak");
    }

    @Test
    void supabaseWithoutYesReadsNoAnswerAndOtherSubcommandsAreNotEmulated() throws Exception {
        Run noYes = shim(tmp, "supabase", "db", "reset", "--db-url", "postgresql://postgres@127.0.0.1:1/crewsnow");
        Run other = shim(tmp, "supabase", "functions", "list");
        Run wrongProject = shim(tmp, "supabase", "functions", "deploy", "--project-ref", "crewsnow-prod-ref");

        assertThat(noYes.exit()).isEqualTo(1);
        assertThat(noYes.out()).contains("[y/N]");
        assertThat(noYes.err()).contains("context canceled");
        assertThat(other.exit()).isEqualTo(127);
        assertThat(other.err()).isEqualTo("sandbox: supabase functions list: not emulated in sandbox\n");
        assertThat(wrongProject.exit()).as("only the sandbox's project").isEqualTo(1);
        assertThat(wrongProject.err()).contains("project crewsnow-prod-ref not found");
    }

    @Test
    void gitPrintsAndLeavesTheRepositoryUntouched() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        boolean gitInstalled = new File("/usr/bin/git").canExecute();
        String headBefore = null;
        if (gitInstalled) {
            Process init = new ProcessBuilder("/usr/bin/git", "init", "-q", repo.toString())
                    .inheritIO()
                    .start();
            assertThat(init.waitFor(30, TimeUnit.SECONDS)).isTrue();
            headBefore = Files.readString(repo.resolve(".git/HEAD"));
        }

        Run checkout = shim(repo, "git", "checkout", "v1.0.0");
        Run log = shim(repo, "git", "log");

        assertThat(checkout.exit()).isZero();
        assertThat(checkout.out()).isEqualTo("HEAD is now at v1.0.0 (sandbox: no repository touched)\n");
        assertThat(log.exit()).isEqualTo(127);
        assertThat(log.err()).contains("git log: not emulated in sandbox");
        if (gitInstalled) {
            assertThat(Files.readString(repo.resolve(".git/HEAD"))).isEqualTo(headBefore);
        }
    }

    @Test
    void pgRestoreRestoresOnlyTheSandboxsBackup() throws Exception {
        java.nio.file.Path notABackup = tmp.resolve("dump.sql");
        java.nio.file.Files.writeString(notABackup, "DROP TABLE matches;\n");
        Run bad = shim(
                tmp,
                "pg_restore",
                "--clean",
                "--dbname=postgresql://postgres@127.0.0.1:1/crewsnow",
                notABackup.toString());
        Run missing = shim(tmp, "pg_restore", "--dbname=postgresql://postgres@127.0.0.1:1/crewsnow", "nope.dump");

        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("input file does not appear to be a valid archive");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("could not open input file");
    }
}
