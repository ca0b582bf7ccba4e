package dev.runbook.cli;

import dev.runbook.console.Terminal;
import dev.runbook.load.InvalidException;
import dev.runbook.load.InventoryLoader;
import dev.runbook.load.Library;
import dev.runbook.load.Problem;
import dev.runbook.model.Position;
import dev.runbook.model.Runbook;
import dev.runbook.model.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code runbook validate [PATH...]}: checks runbook files and directories as one library
 * (ids unique across files) and the inventories found in them; one ✓/✗ line per file,
 * each problem as {@code PATH:LINE:COLUMN: message}. Exit 0 when all are valid, 1 otherwise.
 */
@Command(
        name = "validate",
        header = "Check runbooks without running them.",
        sortOptions = false,
        usageHelpAutoWidth = true,
        mixinStandardHelpOptions = true,
        description = {
            "Check runbooks without running them: YAML syntax, unknown or duplicate keys, step ids,",
            "goto targets, templates and expressions, ids unique across the library.",
            "Inventories (environments.yaml) found in the directories, or named as a PATH, are checked too."
        },
        footer = {
            "",
            "Examples:",
            "  runbook validate                      # the whole library in runbooks/",
            "  runbook validate runbooks/akig/rb-p1-001-bug-critique.yaml",
            "  runbook validate --strict             # as CI: P1/P2 runbooks need verify: and escalation:",
            "",
            "Exit codes: 0 all valid, 1 a problem was found, 2 usage error."
        })
public final class ValidateCommand implements Callable<Integer> {

    @Option(
            names = "--strict",
            description = "Also require a verify section and escalation tiers in every P1 and P2 runbook (what CI"
                    + " runs).")
    boolean strict;

    @Mixin
    FormatOption format;

    @Parameters(
            paramLabel = "PATH",
            arity = "0..*",
            description = "Runbook files or directories (default: the library: $RUNBOOK_LIBRARY, else library: of the"
                    + " config, else runbooks/).")
    List<Path> paths = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final Terminal terminal;

    /** @param terminal where results are printed */
    public ValidateCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        format.require(FormatOption.Format.TEXT, FormatOption.Format.JSON, FormatOption.Format.JSONL);
        if (paths.isEmpty()) {
            paths.add(Path.of(ConfiguredDefaults.of(spec)
                    .resolved(dev.runbook.config.UserConfig.Key.LIBRARY)
                    .value()));
        }
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new ExitException(ExitCodes.USAGE, p + ": no such file or directory");
            }
        }
        Library lib = Library.load(paths);
        List<Path> all = new ArrayList<>(lib.runbooks().keySet());
        all.addAll(lib.problems().keySet());
        all.sort(null);
        List<Path> inventories = lib.inventories();
        if (all.isEmpty() && inventories.isEmpty()) {
            throw new ExitException(ExitCodes.FAILED, "no runbook file (.yaml, .yml) found in " + paths);
        }
        List<Checked> checked = new ArrayList<>();
        for (Path f : all) {
            List<Problem> problems = lib.problems().get(f);
            if (problems == null && strict) {
                problems = strictProblems(lib.runbooks().get(f));
            }
            checked.add(new Checked(
                    f,
                    Kind.RUNBOOK,
                    problems == null ? lib.runbooks().get(f).id() : null,
                    problems == null ? List.of() : problems,
                    List.of()));
        }
        for (Path inv : inventories) {
            try {
                var loaded = InventoryLoader.load(inv, terminal.env());
                checked.add(new Checked(inv, Kind.INVENTORY, null, List.of(), loaded.warnings()));
            } catch (InvalidException e) {
                checked.add(new Checked(inv, Kind.INVENTORY, null, e.problems(), List.of()));
            }
        }
        long bad = checked.stream().filter(c -> !c.problems().isEmpty()).count();
        var out = terminal.out();
        if (format.machine()) {
            format.print(out, checked.stream().map(Checked::json).toList());
        } else {
            for (Checked c : checked) {
                String what = c.kind() == Kind.INVENTORY ? "  (inventory)" : c.id() == null ? "" : "  (" + c.id() + ")";
                out.println((c.problems().isEmpty() ? "✓ " : "✗ ") + c.file() + what);
                c.problems().forEach(p -> out.println("  " + p));
                c.warnings().forEach(w -> out.println("  warning: " + w));
            }
            out.println(
                    bad == 0
                            ? all.isEmpty()
                                    ? inventories.size() + " inventory file(s) valid"
                                    : all.size() + " runbook(s) valid"
                            : bad + " invalid file(s), " + lib.runbooks().size() + " valid runbook(s)");
        }
        out.flush();
        return bad == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** What a checked file is; its lower-case name is the JSON {@code kind}. */
    private enum Kind {
        RUNBOOK,
        INVENTORY;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One checked file: a runbook (its id when valid) or an inventory, and its problems. */
    private record Checked(Path file, Kind kind, String id, List<Problem> problems, List<String> warnings) {
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toString());
            m.put("kind", kind.wire());
            m.put("id", id);
            m.put("valid", problems.isEmpty());
            List<Map<String, Object>> ps = new ArrayList<>();
            for (Problem p : problems) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("file", p.position().file());
                pm.put("line", p.position().line());
                pm.put("column", p.position().column());
                pm.put("message", p.message());
                ps.add(pm);
            }
            m.put("problems", ps);
            m.put("warnings", warnings);
            return m;
        }
    }

    /**
     * The {@code --strict} rules for a P1 or P2 runbook: it declares a {@code verify} section, so
     * that {@code resolved} means the service was checked (docs/format.md, "verify"), and an {@code
     * escalation} list, so that nobody waits on the clock in silence (docs/format.md, "Escalation on
     * the clock").
     */
    private static List<Problem> strictProblems(Runbook rb) {
        boolean urgent = rb.severity() == Severity.P1 || rb.severity() == Severity.P2;
        if (!urgent) {
            return null;
        }
        List<Problem> out = new ArrayList<>();
        if (!rb.verifies()) {
            out.add(new Problem(
                    Position.of(rb.source().path()),
                    rb.id() + " is " + rb.severity() + " and has no verify section: 'resolved' would only mean the walk"
                            + " reached its end (--strict)"));
        }
        if (rb.escalation().isEmpty()) {
            out.add(new Problem(
                    Position.of(rb.source().path()),
                    rb.id() + " is " + rb.severity() + " and has no escalation tiers: nobody would be told when it"
                            + " drags on (--strict)"));
        }
        return out.isEmpty() ? null : out;
    }
}
