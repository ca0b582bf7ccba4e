package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.report.Incident;
import dev.runbook.report.StatusMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runbook log status INCIDENT --template initial|update|resolution}: the message to
 * post on Slack or send by e-mail now, from the seeds' templates ({@link StatusMessage}).
 */
@Command(
        name = "status",
        header = "Write the status message (initial, update, resolution).",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Write the communication message for this moment of an incident, ready to paste into",
            "Slack or an e-mail, from the team's templates (gestion-incidents.md, rollback procedure §4):",
            "  initial     🚨 incident declared: severity, start, runbook, channel",
            "  update      📊 status, elapsed time, last actions, current step, rollback if any",
            "  resolution  ✅ total duration, how it was resolved, post-mortem to plan",
            "Filled from the log; what only a person knows is left as [à compléter : …]."
        },
        footer = {
            "",
            "Examples:",
            "  runbook log status 20261121T1023 --template initial",
            "  runbook log status 20261121T1023 --template update | pbcopy",
            "",
            "Exit codes: 0 written, 1 the log failed verification (without --force), 2 usage error."
        })
public final class LogStatusCommand implements Callable<Integer> {

    @Parameters(paramLabel = "INCIDENT", description = "Incident id, unique id prefix, or path to a .jsonl log.")
    String ref;

    @Option(names = "--template", paramLabel = "NAME", required = true, description = "initial, update or resolution.")
    String template;

    @Option(
            names = "--now",
            paramLabel = "INSTANT",
            description =
                    "The moment of the message for an unfinished incident (default: now), e.g. 2026-11-21T10:40:00Z.")
    String now;

    @Option(names = "--force", description = "Use a log that failed verification (the message says so).")
    boolean force;

    @Mixin
    LogDirOption dir;

    @Option(
            names = "--post",
            paramLabel = "CHANNEL",
            description = "Also post the message to this channel of the incident's environment (retried, bounded;"
                    + " exit 1 when it is not delivered).")
    String post;

    @Option(
            names = "--env",
            paramLabel = "NAME",
            description = "Environment whose channel is posted to (default: the incident's).")
    String env;

    @Mixin
    LibraryDirOption library;

    private final Terminal terminal;

    /** @param terminal where the message is printed */
    public LogStatusCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        if (!StatusMessage.TEMPLATES.contains(template)) {
            throw new ExitException(
                    ExitCodes.USAGE, "unknown --template '" + template + "' (initial, update or resolution)");
        }
        Instant at;
        try {
            at = now == null ? Instant.now() : Instant.parse(now);
        } catch (DateTimeParseException e) {
            throw new ExitException(ExitCodes.USAGE, "--now '" + now + "' is not an instant (2026-11-21T10:40:00Z)");
        }
        Path file = LogSupport.find(ref, dir.resolve(terminal));
        Incident in = LogSupport.load(file);
        LogSupport.requireIntact(in, file, force);
        String text = StatusMessage.render(in, template, at);
        terminal.out().print(text);
        terminal.out().flush();
        return post == null ? ExitCodes.OK : post(in, text);
    }

    /** Posts the message to {@code --post} (docs/format.md, "Chat channels"). */
    private int post(Incident in, String text) {
        String envName = env != null ? env : in.env();
        if (envName == null) {
            throw new ExitException(ExitCodes.USAGE, "--post: the incident ran without an environment: give --env");
        }
        dev.runbook.model.Inventory inv = InventoryFiles.load(
                dir.inventory(), Path.of(in.runbookPath() == null ? "." : in.runbookPath()), library.dir(), terminal);
        dev.runbook.model.Channel ch = inv == null
                ? null
                : inv.environment(envName).map(e -> e.channels().get(post)).orElse(null);
        if (ch == null) {
            throw new ExitException(
                    ExitCodes.USAGE,
                    "--post: channel '" + post + "' is not declared by environment '" + envName + "'"
                            + (inv == null ? " (no inventory found: give --inventory)" : ""));
        }
        dev.runbook.template.Masker masker = new dev.runbook.template.Masker();
        java.util.Map<String, Object> secrets = new java.util.LinkedHashMap<>();
        for (String name : dev.runbook.template.Template.parse(ch.webhook()).names("secrets")) {
            String v = terminal.env().get(name);
            if (v == null || v.isEmpty()) {
                throw new ExitException(
                        ExitCodes.USAGE, "--post: secret " + name + " is not set: export " + name + "=… first");
            }
            secrets.put(name, v);
            masker.add(v);
        }
        String url = new dev.runbook.template.Renderer(java.util.Map.of("secrets", secrets), masker, false)
                .text(ch.webhook())
                .text();
        dev.runbook.action.ChatPoster.Delivery d;
        try {
            d = dev.runbook.action.ChatPoster.post(url, ch.format(), ch.timeout(), text, in.id(), template);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExitException(ExitCodes.INTERRUPTED, "--post: interrupted");
        }
        if (!d.delivered()) {
            throw new ExitException(
                    ExitCodes.FAILED,
                    "not posted to " + post + " after " + d.attempts() + " attempts: " + masker.mask(d.error()));
        }
        terminal.err().println("posted to " + post + " (" + ch.format().wire() + ")");
        terminal.err().flush();
        return ExitCodes.OK;
    }
}
