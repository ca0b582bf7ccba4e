package dev.runbook.console;

import dev.runbook.action.ActionContext;
import dev.runbook.engine.Answer;
import dev.runbook.engine.Closing;
import dev.runbook.engine.InFlightChoice;
import dev.runbook.engine.Operator;
import dev.runbook.engine.Plan;
import dev.runbook.engine.StepView;
import dev.runbook.engine.Verification;
import dev.runbook.model.ActionSpec;
import dev.runbook.model.Durations;
import dev.runbook.model.FlowTarget;
import dev.runbook.model.InputDef;
import dev.runbook.model.Outcome;
import dev.runbook.model.Phase;
import dev.runbook.model.Runbook;
import dev.runbook.model.Sla;
import dev.runbook.model.Step;
import dev.runbook.model.StepStatus;
import dev.runbook.template.Masker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The terminal side of a run: shows the runbook, each step and its live output, and asks
 * the line-based prompts of interactive mode, like {@code git add -p} (issue 2,
 * "Interactive mode"). Everything printed is masked. Output lines from several threads
 * (SSH fan-out) are serialized.
 */
public final class ConsoleOperator implements Operator {

    private final Terminal terminal;
    private final PrintWriter out;
    private final Style style;
    private final boolean interactive;
    private Masker masker = new Masker();
    private boolean progressShown;
    private final Prompter prompter;
    private List<String> stepIds = List.of();
    private final Heartbeat heartbeat;

    /** Seconds of silence between two heartbeat lines off a terminal (RUNBOOK_HEARTBEAT, default 30). */
    static final long HEARTBEAT_DEFAULT_S = 30;

    /**
     * @param terminal streams and environment
     * @param style colours or none
     * @param interactive true when prompts may be asked (interactive mode)
     */
    public ConsoleOperator(Terminal terminal, Style style, boolean interactive) {
        this.terminal = terminal;
        this.out = terminal.out();
        this.style = style;
        this.interactive = interactive;
        this.prompter = Prompter.of(terminal);
        this.heartbeat = new Heartbeat(
                terminal.ansi(),
                heartbeatMs(terminal),
                t -> {
                    if (!prompter.waiting()) { // never over a question being asked (a host key during ssh)
                        progress(t);
                    }
                },
                t -> {
                    if (!prompter.waiting()) {
                        println(style.dim(t));
                    }
                },
                () -> System.nanoTime() / 1_000_000);
    }

    private static long heartbeatMs(Terminal terminal) {
        try {
            return Math.max(
                            1,
                            Long.parseLong(terminal.env()
                                    .getOrDefault("RUNBOOK_HEARTBEAT", "")
                                    .strip()))
                    * 1000;
        } catch (NumberFormatException e) {
            return HEARTBEAT_DEFAULT_S * 1000;
        }
    }

    /** Uses the run's masker from now on (set before anything secret is printed). */
    public void masker(Masker m) {
        this.masker = m;
    }

    private synchronized void println(String s) {
        clearProgress();
        out.println(masker.mask(s));
        out.flush();
    }

    private void clearProgress() {
        if (progressShown) {
            out.print("\r\u001b[2K");
            progressShown = false;
        }
    }

    @Override
    public void opened(Plan plan, String incidentId, Path log) {
        masker = plan.masker();
        Runbook rb = plan.runbook();
        stepIds = java.util.stream.Stream.of(rb.steps(), rb.rollback(), rb.verify())
                .flatMap(List::stream)
                .map(Step::id)
                .toList();
        println(style.bold("━━ " + rb.id() + " · " + rb.title() + " · " + rb.severity()
                + (plan.envName() == null ? "" : " · env " + plan.envName())
                + (plan.environment() != null && plan.environment().isProtected() ? " (PROTECTED)" : "") + " ━━"));
        if (incidentId != null) {
            println("Incident " + incidentId + " · mode " + plan.mode().logName() + " · operator " + plan.operator());
            println(style.dim("Log: " + log));
        }
        if (rb.summary() != null) {
            println(rb.summary());
        }
        String sla = slaText(rb.sla());
        if (!sla.isEmpty()) {
            println("SLA: " + sla);
        }
        var display = plan.display();
        for (dev.runbook.model.Escalation e : rb.escalation()) {
            println(style.dim("Escalation L" + e.level() + " at " + Durations.format(e.after())
                    + (e.unless() == null ? "" : " unless " + e.unless())
                    + (e.to() == null ? "" : " → " + e.to()) + ": " + display.apply(e.message())));
        }
        if (rb.updates() != null) {
            println(style.dim("Updates → " + rb.updates().channel() + " on "
                    + String.join(
                            ", ",
                            rb.updates().on().stream()
                                    .sorted()
                                    .map(m -> m.wire())
                                    .toList())
                    + (rb.updates().every() == null
                            ? ""
                            : ", every " + Durations.format(rb.updates().every()))));
        }
        if (!rb.symptoms().isEmpty()) {
            println("Symptômes / symptoms:");
            rb.symptoms().forEach(s -> println("  - " + s));
        }
        println("");
    }

    private static String slaText(Sla sla) {
        StringBuilder b = new StringBuilder();
        if (sla.respond() != null) {
            b.append("respond ").append(Durations.format(sla.respond()));
        }
        if (sla.resolve() != null) {
            b.append(b.length() > 0 ? " · " : "").append("resolve ").append(Durations.format(sla.resolve()));
        }
        return b.toString();
    }

    @Override
    public void step(StepView v, Plan plan) {
        Step s = v.step();
        String num =
                (v.phase() == Phase.STEPS ? "" : v.phase().wire() + " ") + "[" + v.number() + "/" + v.total() + "]";
        String clock = "";
        Sla sla = plan.runbook().sla();
        if (plan.mode() != dev.runbook.engine.Mode.DRY_RUN) {
            clock = "  "
                    + style.dim("elapsed " + Durations.format(v.elapsed())
                            + (sla.respond() == null ? "" : " / respond " + Durations.format(sla.respond()))
                            + (sla.resolve() == null ? "" : " / resolve " + Durations.format(sla.resolve())));
        }
        var d = v.display();
        println(style.cyan(style.bold(num + " " + s.id()))
                + (s.title().equals(s.id()) ? "" : " — " + d.apply(s.title()))
                + clock);
        if (s.description() != null) {
            d.apply(s.description()).strip().lines().forEach(l -> println("    " + l));
        }
        if (s.action() instanceof ActionSpec.Manual m) {
            d.apply(m.text()).strip().lines().forEach(l -> println("    " + l));
            m.checklist().forEach(c -> println("    [ ] " + d.apply(c)));
        } else if (s.action() instanceof ActionSpec.Choose c) {
            d.apply(c.question()).strip().lines().forEach(l -> println("    ? " + l));
            for (int i = 0; i < c.options().size(); i++) {
                ActionSpec.Option o = c.options().get(i);
                boolean dflt = o == c.defaultChoice();
                println("    " + (i + 1) + ") " + d.apply(o.label())
                        + (o.gotoStep() == null
                                ? ""
                                : style.dim("  → " + o.gotoStep().text()))
                        + (dflt ? style.dim("  (default)") : ""));
            }
        } else if (v.target() != null) {
            println("    " + style.bold(s.action().key()) + " " + v.target());
        }
        String rules = rules(s);
        if (!rules.isEmpty()) {
            println("    " + style.dim(rules));
        }
    }

    private String rules(Step s) {
        StringBuilder b = new StringBuilder();
        if (s.when() != null) {
            b.append("when ").append(s.when()).append(" · ");
        }
        if (s.timeout() != null) {
            b.append("timeout ").append(Durations.format(s.timeout())).append(" · ");
        }
        if (s.retry().attempts() > 1) {
            b.append("retry ")
                    .append(s.retry().attempts())
                    .append("× every ")
                    .append(Durations.format(s.retry().delay()));
            if (s.retry().until() != null) {
                b.append(" until ").append(s.retry().until());
            }
            b.append(" · ");
        }
        s.check().forEach(c -> b.append("check ").append(c).append(" · "));
        if (!(s.onFailure() instanceof FlowTarget.Abort)) {
            b.append("on failure → ").append(s.onFailure().text()).append(" · ");
        }
        if (!(s.onSuccess() instanceof FlowTarget.Next)) {
            b.append("on success → ").append(s.onSuccess().text()).append(" · ");
        }
        String r = b.length() > 3 ? b.substring(0, b.length() - 3) : "";
        return s.dangerous() ? style.red("DANGEROUS") + (r.isEmpty() ? "" : " · " + r) : r;
    }

    /** Reads one line, trimmed; null at end of input. */
    private String readLine(String prompt, PromptKind kind, List<String> completions) {
        return ask(() -> prompter.line(prompt, kind, completions));
    }

    /** Clears the progress line, then reads through {@code read}: the line trimmed, null at end of input. */
    private String ask(java.util.function.Supplier<String> read) {
        synchronized (this) {
            clearProgress();
            out.flush();
        }
        String line = read.get();
        return line == null ? null : line.trim();
    }

    /**
     * Asks one free-form question (an approver at the runner's terminal, docs/team.md).
     *
     * @return the line typed, trimmed; null at end of input
     */
    public String askLine(String question) {
        return readLine(style.bold(question), PromptKind.APPROVAL, List.of());
    }

    /**
     * A banner from the clock (an escalation tier, an SLA breach, a post that failed), printed at
     * once from the timer's thread: on its own line, then the waiting prompt again.
     */
    @Override
    public synchronized void banner(String text) {
        clearProgress();
        out.flush();
        prompter.above(style.bold(style.red("▶▶ " + masker.mask(text))));
    }

    /** True while a prompt waits for the operator's line (a stop signal then acts at once). */
    @Override
    public boolean waitingForInput() {
        return prompter.waiting();
    }

    /** Puts the terminal back as it was found: a prompt may hold it in raw mode when the JVM halts. */
    @Override
    public void restoreTerminal() {
        prompter.restore();
    }

    @Override
    public Answer askStep(StepView v) {
        boolean manual = v.step().action() instanceof ActionSpec.Manual;
        String q = (manual ? "Done with step " : "Run step ") + v.number() + "/" + v.total() + " "
                + v.step().id() + "? [Y,s,n,a,b,?] ";
        while (true) {
            String line = readLine(style.bold(q), PromptKind.ANSWER, List.of("y", "s", "n", "a", "b", "?"));
            if (line == null) {
                return endOfInput();
            }
            String key = line.toLowerCase(Locale.ROOT);
            if (key.isEmpty() || key.equals("y") || key.equals("yes")) {
                return Answer.of(manual ? Answer.Kind.DONE : Answer.Kind.RUN);
            }
            Answer a = shared(key);
            if (a == null) {
                help(
                        manual ? "y - mark this manual step done (Enter)" : "y - run this step (Enter)",
                        "s - skip this step and go on",
                        "n - add a note to the incident log",
                        "a - abort the run (outcome: aborted)",
                        "b - turn to the rollback section",
                        "? - this help");
            } else if (a.kind() != Answer.Kind.NOTE || a.text() != null) {
                return a;
            }
        }
    }

    /**
     * The keys every prompt shares: {@code s} skip, {@code a} abort, {@code b} rollback,
     * {@code n} note (read now; a NOTE without text when the operator typed none).
     *
     * @return the answer, or null for any other key
     */
    private Answer shared(String key) {
        switch (key) {
            case "s":
                return Answer.of(Answer.Kind.SKIP);
            case "a":
                return Answer.of(Answer.Kind.ABORT);
            case "b":
                return Answer.of(Answer.Kind.ROLLBACK);
            case "n":
                String text = readLine("Note: ", PromptKind.NOTE, stepIds);
                return Answer.note(text == null || text.isEmpty() ? null : text);
            default:
                return null;
        }
    }

    @Override
    public InFlightChoice askInFlight(StepView v, java.time.Instant since) {
        println(style.bold("⚠ step " + v.step().id() + " was running when the run stopped; its outcome is unknown"));
        if (v.target() != null) {
            println("    it was doing: " + v.target());
        }
        if (since != null) {
            println("    started at " + since + " ("
                    + dev.runbook.model.Durations.format(java.time.Duration.between(since, java.time.Instant.now())
                            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    + " ago)");
        }
        String q = "Step " + v.step().id() + ": [r]e-run, mark [d]one, [s]kip, [a]bort? ";
        while (true) {
            String line = readLine(style.bold(q), PromptKind.ANSWER, List.of("r", "d", "s", "a"));
            if (line == null) {
                println("(end of input: aborting)");
                return InFlightChoice.ABORT;
            }
            switch (line.strip().toLowerCase(Locale.ROOT)) {
                case "r", "rerun", "re-run" -> {
                    return InFlightChoice.RERUN;
                }
                case "d", "done" -> {
                    return InFlightChoice.DONE;
                }
                case "s", "skip" -> {
                    return InFlightChoice.SKIP;
                }
                case "a", "abort" -> {
                    return InFlightChoice.ABORT;
                }
                default ->
                    help(
                            "r - run the step again (it may have done part of its work)",
                            "d - you checked it happened: mark it done and go on",
                            "s - leave it undone and go on with the next step",
                            "a - abort the incident (outcome: aborted)");
            }
        }
    }

    private Answer endOfInput() {
        println("(end of input: aborting)");
        return Answer.of(Answer.Kind.ABORT);
    }

    private void help(String... lines) {
        for (String l : lines) {
            println("  " + l);
        }
    }

    @Override
    public Answer askChoice(StepView v, ActionSpec.Choose c) {
        ActionSpec.Option d = c.defaultChoice();
        int n = c.options().size();
        List<String> labels =
                c.options().stream().map(o -> v.display().apply(o.label())).toList();
        String q =
                "Choose 1-" + n + (d == null ? "" : " (Enter: " + (c.options().indexOf(d) + 1) + ")") + " [s,n,a,b,?] ";
        while (true) {
            String line = readLine(style.bold(q), PromptKind.CHOICE, labels);
            if (line == null) {
                return endOfInput();
            }
            if (line.isEmpty() && d != null) {
                return Answer.option(c.options().indexOf(d));
            }
            if (line.matches("\\d+") && Integer.parseInt(line) >= 1 && Integer.parseInt(line) <= n) {
                return Answer.option(Integer.parseInt(line) - 1);
            }
            int byLabel = labels.indexOf(line);
            if (byLabel < 0) {
                byLabel = labels.stream()
                        .map(l -> l.toLowerCase(Locale.ROOT))
                        .toList()
                        .indexOf(line.toLowerCase(Locale.ROOT));
            }
            if (byLabel >= 0 && line.length() > 1) { // one letter is a key (s, n, a, b), not a label
                return Answer.option(byLabel);
            }
            Answer a = shared(line.toLowerCase(Locale.ROOT));
            if (a == null) {
                help(
                        "1-" + n + " - take that option",
                        "s - skip this step",
                        "n - add a note",
                        "a - abort the run",
                        "b - turn to the rollback section",
                        "? - this help");
            } else if (a.kind() != Answer.Kind.NOTE || a.text() != null) {
                return a;
            }
        }
    }

    @Override
    public String askInput(InputDef def) {
        String q = "Value for " + def.name() + (def.description() == null ? "" : " (" + def.description() + ")")
                + (def.defaultValue() == null ? "" : " [" + (def.secret() ? "****" : def.defaultValue()) + "]") + ": ";
        while (true) {
            String line = def.secret()
                    ? ask(() -> prompter.secret(style.bold(q)))
                    : readLine(style.bold(q), PromptKind.INPUT, List.of());
            if (line == null) {
                return def.defaultValue();
            }
            if (line.isEmpty() && def.defaultValue() != null) {
                return def.defaultValue();
            }
            if (line.isEmpty() && def.required()) {
                println("  a value is required");
                continue;
            }
            if (def.pattern() != null && !def.pattern().matcher(line).matches()) {
                println("  " + style.red("does not match " + def.pattern().pattern()));
                continue;
            }
            return line;
        }
    }

    @Override
    public boolean confirmTyped(StepView v, String expected, String why) {
        println(style.yellow("⚠ " + why + "."));
        String line = readLine(
                style.bold("Type '" + expected + "' to run it, anything else to go back: "),
                PromptKind.CONFIRM,
                List.of());
        return expected.equals(line);
    }

    @Override
    public Answer askAfterFailure(StepView v, String error) {
        Step s = v.step();
        FlowTarget of = s.onFailure();
        String rule = of instanceof FlowTarget.Continue
                ? "continue with the next step"
                : of instanceof FlowTarget.Rollback
                        ? "turn to rollback"
                        : of instanceof FlowTarget.Goto g ? "go to step '" + g.step() + "'" : "abort the run";
        String q = "Step " + s.id() + " failed. [r,s,a,b,n,?] (Enter: " + rule + ") ";
        while (true) {
            String line = readLine(style.bold(q), PromptKind.ANSWER, List.of("r", "s", "a", "b", "n", "?"));
            if (line == null) {
                return endOfInput();
            }
            String key = line.toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                return Answer.of(Answer.Kind.FOLLOW);
            }
            if (key.equals("r")) {
                return Answer.of(Answer.Kind.RETRY);
            }
            Answer a = shared(key);
            if (a == null) {
                help(
                        "Enter - follow the runbook: " + rule,
                        "r - retry the step",
                        "s - skip it and continue with the next step",
                        "a - abort the run",
                        "b - turn to the rollback section",
                        "n - add a note",
                        "? - this help");
            } else if (a.kind() != Answer.Kind.NOTE || a.text() != null) {
                return a;
            }
        }
    }

    @Override
    public void attemptStarted(StepView v, int attempt, int attempts) {
        if (attempts > 1) {
            println(style.dim("    attempt " + attempt + "/" + attempts));
        }
        heartbeat.start();
    }

    @Override
    public void attemptFinished(
            StepView v, int attempt, StepStatus status, Duration took, String error, Map<String, Object> result) {
        heartbeat.stop();
        String t = Durations.format(took);
        if (status == StepStatus.SUCCEEDED) {
            println("    " + style.green("✓ succeeded") + style.dim(" in " + t) + summary(result));
        } else {
            println("    " + style.red("✗ " + status) + style.dim(" in " + t) + (error == null ? "" : ": " + error));
        }
    }

    private String summary(Map<String, Object> r) {
        if (Boolean.TRUE.equals(r.get("printed_only"))) {
            return style.yellow(
                    r.get("channel") == null
                            ? " · printed only: no channel"
                            : " · printed only: no environment declares channel '" + r.get("channel") + "'");
        }
        if (r.get("posted_to") != null) {
            return style.dim(" · posted to " + r.get("posted_to"));
        }
        if (r.containsKey("choice")) {
            return " → " + r.get("choice");
        }
        if (r.containsKey("row_count") && r.get("rows") instanceof List<?> rows && !rows.isEmpty()) {
            return style.dim(" · " + r.get("row_count") + " row(s): " + rows.get(0) + (rows.size() > 1 ? " …" : ""));
        }
        if (r.containsKey("updated") && r.get("updated") != null) {
            return style.dim(" · " + r.get("updated") + " row(s) updated");
        }
        if (r.containsKey("latency_ms")) {
            return style.dim(" · HTTP " + r.get("status") + " in " + r.get("latency_ms") + "ms");
        }
        return "";
    }

    @Override
    public void skipped(StepView v, String reason) {
        println("    " + style.yellow("↷ skipped") + " "
                + (v.phase() == Phase.STEPS ? "" : v.phase().wire() + " ") + "[" + v.number() + "/" + v.total() + "] "
                + v.step().id() + style.dim(" (" + reason + ")"));
    }

    @Override
    public void info(String text) {
        println(text);
    }

    @Override
    public void closed(Closing c) {
        println("");
        Outcome outcome = c.outcome();
        String o = outcome.logName().toUpperCase(Locale.ROOT);
        println(style.bold((outcome == Outcome.RESOLVED ? style.green(o) : style.red(o)) + " after "
                        + Durations.format(c.took()))
                + (c.log() == null ? "" : style.dim(" · log " + c.log())));
        Verification v = c.verification();
        switch (v.state()) {
            case PASSED -> println(style.green("  verified: every check of the verify section passed"));
            case FAILED ->
                println(style.red("  verify failed: check '" + v.check() + "': "
                        + masker.mask(String.valueOf(v.error()).replaceAll("\\s*\\R\\s*", " "))));
            case NONE -> println(style.yellow("  " + dev.runbook.model.Runbook.NOT_VERIFIED));
            case NOT_RUN -> {
                // the walk did not reach its end: the outcome says why
            }
        }
        if (outcome == Outcome.INTERRUPTED && c.log() != null) {
            String id = c.log().getFileName().toString().replaceFirst("\\.jsonl$", "");
            println("  continue it with: runbook resume " + id
                    + (c.log().getParent() == null
                            ? ""
                            : " --log-dir " + c.log().getParent()));
        }
        if (c.failedSteps() > 0) {
            println(style.yellow("  " + c.failedSteps() + (c.failedSteps() == 1 ? " step" : " steps")
                    + " failed and the walk went on past "
                    + (c.failedSteps() == 1 ? "it" : "them")));
        }
    }

    @Override
    public synchronized void line(String source, String line) {
        heartbeat.output();
        String prefix = source.equals("stdout") ? "" : source.equals("stderr") ? "" : source + " | ";
        String text = "    │ " + prefix + line;
        println(source.equals("stderr") ? style.yellow(text) : text);
    }

    @Override
    public synchronized void progress(String text) {
        if (!terminal.ansi()) {
            return;
        }
        out.print("\r\u001b[2K    " + masker.mask(text));
        out.flush();
        progressShown = true;
    }

    private final Object hostKeyQuestion = new Object();

    @Override
    public ActionContext.HostKeyPolicy hostKeys() {
        if (!interactive) {
            return ActionContext.HostKeyPolicy.REFUSE;
        }
        return (host, address, type, fingerprint) -> {
            // one question at a time (fan-out threads may ask together), without holding the
            // console's lock while the operator thinks: banners and the heartbeat's gate need it
            synchronized (hostKeyQuestion) {
                println(style.yellow(
                        "The authenticity of host '" + host + "' (" + address + ") can't be established."));
                println(type + " key fingerprint is " + fingerprint + ".");
                String a = readLine(
                        style.bold("Trust it and record it in known_hosts? [y/N] "), PromptKind.HOST_KEY, List.of());
                return a != null && (a.equalsIgnoreCase("y") || a.equalsIgnoreCase("yes"));
            }
        };
    }
}
