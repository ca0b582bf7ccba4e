package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "exit 2, nothing ran" paths of the planner (contract, "Exit codes": usage error, invalid
 * runbook or inventory): each case names what is wrong in one line, writes no log, and its first
 * step (which would create a marker file) never runs.
 */
class PlanRefusalsTest {

    @TempDir
    Path dir;

    private static final String INVENTORY = """
            environments:
              staging:
                vars: {api_url: 'http://127.0.0.1:9'}
                databases:
                  main: {url: 'jdbc:postgresql://127.0.0.1:9/app', user: app, password: '${secrets.DB_PASSWORD}'}
                hosts:
                  web1: {address: 127.0.0.1, port: 9, user: deploy}
                groups:
                  web: [web1]
              bare:
                vars: {}
              prod:
                protected: true
                vars: {}
            """;

    /**
     * @param name what is wrong
     * @param rest the runbook after {@code id, title, severity}; its first step must be the marker
     * @param args the run's arguments after the runbook file
     * @param fragment what the one-line error must say
     */
    record Case(String name, String rest, List<String> args, String fragment) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String MARKER = """
              - id: marker
                shell: touch "$MARKER_FILE"
            """;

    static Stream<Arguments> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case(
                "required input missing",
                "inputs:\n  svc: {description: the service}\nsteps:\n" + MARKER,
                List.of("--yes"),
                "input 'svc' is required: give --var svc"));
        c.add(new Case(
                "input does not match its pattern",
                "inputs:\n  svc: {pattern: '^[a-z]+$'}\nsteps:\n" + MARKER,
                List.of("--yes", "--var", "svc=Bad Value;"),
                "input 'svc'"));
        c.add(new Case(
                "a --var the runbook does not declare",
                "steps:\n" + MARKER,
                List.of("--yes", "--var", "nope=1"),
                "--var nope: the runbook has no input of that name"));
        c.add(new Case(
                "unknown host",
                "steps:\n" + MARKER + "  - id: remote\n    ssh: {hosts: [db9], command: uptime}\n",
                List.of("--yes", "--env", "staging"),
                "host 'db9' is not in environment 'staging'"));
        c.add(new Case(
                "unknown database",
                "steps:\n" + MARKER + "  - id: q\n    sql: {query: SELECT 1, database: other}\n",
                List.of("--yes", "--env", "staging"),
                "database 'other' is not in environment 'staging'"));
        c.add(new Case(
                "an environment without a database",
                "steps:\n" + MARKER + "  - id: q\n    sql: SELECT 1\n",
                List.of("--yes", "--env", "bare"),
                "environment 'bare' has no database"));
        c.add(new Case(
                "a declared secret that is not set",
                "secrets: [API_TOKEN]\nsteps:\n" + MARKER,
                List.of("--yes"),
                "secret API_TOKEN is not set"));
        c.add(new Case(
                "an inventory secret that is not set",
                "steps:\n" + MARKER + "  - id: q\n    sql: SELECT 1\n",
                List.of("--yes", "--env", "staging"),
                "secret DB_PASSWORD is not set"));
        c.add(new Case(
                "--yes on a protected environment",
                "steps:\n" + MARKER,
                List.of("--yes", "--env", "prod"),
                "environment 'prod' is protected: --yes is refused"));
        c.add(new Case(
                "an env var the environment does not define",
                "steps:\n" + MARKER + "  - id: h\n    http: ${env.missing_url}\n",
                List.of("--yes", "--env", "bare"),
                "env.missing_url is not a var of environment 'bare'"));
        c.add(new Case(
                "an environment the inventory does not define",
                "steps:\n" + MARKER,
                List.of("--yes", "--env", "qa"),
                "qa"));
        c.add(new Case(
                "a choose without default, unattended",
                "steps:\n" + MARKER
                        + "  - id: pick\n    choose:\n      question: which?\n      options: [{label: a}, {label: b}]\n",
                List.of("--yes"),
                "is a choose without 'default'"));
        c.add(new Case(
                "an input step without default, unattended",
                "steps:\n" + MARKER + "  - id: ask\n    input: {name: ticket, description: the ticket}\n",
                List.of("--yes"),
                "asks for input 'ticket'"));
        c.add(new Case(
                "an input step's --var that does not match its pattern",
                "steps:\n" + MARKER + "  - id: ask\n    input: {name: ticket, pattern: '^T-[0-9]+$', default: T-1}\n",
                List.of("--yes", "--var", "ticket=oops"),
                "--var ticket does not match ^T-[0-9]+$"));
        c.add(new Case(
                "a runbook that needs an environment run without one",
                "steps:\n" + MARKER + "  - id: q\n    sql: SELECT 1\n",
                List.of("--yes"),
                "this runbook uses the environment"));
        return c.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusesBeforeAnythingRuns(Case c) throws IOException {
        Path marker = dir.resolve("marker");
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, "id: RB-REFUSE\ntitle: Refusals\nseverity: P2\n" + c.rest());
        Files.writeString(dir.resolve("environments.yaml"), INVENTORY);
        Path logs = dir.resolve("logs");
        List<String> args = new ArrayList<>(List.of("run", rb.toString(), "--log-dir", logs.toString()));
        args.addAll(c.args());

        CliRun r = CliRun.with().env("MARKER_FILE", marker.toString()).run(args.toArray(String[]::new));

        assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).as(r.toString()).contains(c.fragment()).doesNotContain("\tat ");
        assertThat(r.err().strip().lines().count()).as("one line: " + r.err()).isEqualTo(1);
        assertThat(marker).as("nothing ran").doesNotExist();
        assertThat(logs).as("no log").doesNotExist();
    }
}
