package dev.runbook.load;

import dev.runbook.model.Position;
import dev.runbook.model.Runbook;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The runbook library: every {@code .yaml}/{@code .yml} file under some paths (the
 * inventory file {@code environments.yaml} excluded), loaded and validated together so
 * that runbook ids are unique across files (contract, "A runbook file").
 *
 * @param runbooks the valid runbooks, by file, in path order
 * @param problems by file, for the files that failed (every file appears in one map)
 * @param inventories the inventory files ({@link #isInventory}) found in the directories or named
 *     among the paths, in path order: not read here ({@code InventoryLoader} reads them)
 */
public record Library(Map<Path, Runbook> runbooks, Map<Path, List<Problem>> problems, List<Path> inventories) {

    /** The inventory file name, never read as a runbook. */
    public static final String INVENTORY = "environments.yaml";

    /**
     * Loads every runbook file under the given files or directories, in one walk that also finds
     * the inventories.
     *
     * @param paths files or directories (searched recursively); a file named as an inventory is
     *     listed as one, not read as a runbook
     * @return the library, with a problem list per invalid file
     * @throws IOException when a directory cannot be listed
     */
    public static Library load(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Path> inventories = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    // FIFOs and devices named *.yaml are kept, to be refused with a message, not skipped
                    walk.filter(f -> !Files.isDirectory(f)).sorted().forEach(f -> {
                        if (isInventory(f)) {
                            inventories.add(f);
                        } else if (isRunbookFile(f)) {
                            files.add(f);
                        }
                    });
                }
            } else if (isInventory(p)) {
                inventories.add(p);
            } else {
                files.add(p);
            }
        }
        Map<Path, Runbook> ok = new LinkedHashMap<>();
        Map<Path, List<Problem>> bad = new LinkedHashMap<>();
        Map<String, Path> byId = new LinkedHashMap<>();
        // files are read and checked in parallel (each on its own: start-up, issue 12), the ids
        // compared in file order afterwards
        List<Loaded> loaded = files.parallelStream().map(Library::loadOne).toList();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            Loaded l = loaded.get(i);
            if (l.runbook() == null) {
                bad.put(f, l.problems());
                continue;
            }
            Path first = byId.putIfAbsent(l.runbook().id(), f);
            if (first != null) {
                bad.put(
                        f,
                        List.of(new Problem(
                                Position.of(f.toString()),
                                "runbook id '" + l.runbook().id() + "' is also the id of " + first)));
            } else {
                ok.put(f, l.runbook());
            }
        }
        if (paths.stream().anyMatch(Files::isDirectory)) {
            calls(ok, bad);
        }
        return new Library(ok, bad, List.copyOf(inventories));
    }

    /** A file read: its runbook, or the problems that refused it. */
    private record Loaded(Runbook runbook, List<Problem> problems) {}

    private static Loaded loadOne(Path f) {
        try {
            return new Loaded(RunbookLoader.load(f), List.of());
        } catch (InvalidException e) {
            return new Loaded(null, e.problems());
        } catch (IOException e) {
            return new Loaded(null, List.of(new Problem(Position.of(f.toString()), "cannot read: " + e.getMessage())));
        }
    }

    /**
     * The {@code runbook:} steps across a library (docs/format.md, "One runbook calling another"):
     * each names a runbook of the library with inputs it declares, and no runbook calls itself,
     * directly or through others. A runbook with such a problem moves to {@code bad}.
     */
    private static void calls(Map<Path, Runbook> ok, Map<Path, List<Problem>> bad) {
        Map<String, Runbook> byId = new LinkedHashMap<>();
        Map<String, Path> fileOf = new LinkedHashMap<>();
        ok.forEach((f, rb) -> {
            byId.put(rb.id(), rb);
            fileOf.put(rb.id(), f);
        });
        Map<Path, List<Problem>> found = new LinkedHashMap<>();
        for (Runbook rb : byId.values()) {
            for (dev.runbook.model.Step s : steps(rb)) {
                if (!(s.action() instanceof dev.runbook.model.ActionSpec.Call c)) {
                    continue;
                }
                Runbook child = byId.get(c.id());
                if (child == null) {
                    found.computeIfAbsent(fileOf.get(rb.id()), k -> new ArrayList<>())
                            .add(new Problem(
                                    s.at("runbook"),
                                    "step '" + s.id() + "' calls runbook '" + c.id()
                                            + "', which is not in the library"));
                    continue;
                }
                c.inputs().keySet().stream()
                        .filter(n -> !child.inputs().containsKey(n))
                        .forEach(n -> found.computeIfAbsent(fileOf.get(rb.id()), k -> new ArrayList<>())
                                .add(new Problem(
                                        s.at("runbook"),
                                        "step '" + s.id() + "' gives input '" + n + "', which " + c.id()
                                                + " does not declare")));
            }
        }
        for (Runbook rb : byId.values()) {
            List<String> cycle = cycle(rb.id(), byId, new ArrayList<>());
            if (cycle != null) {
                found.computeIfAbsent(fileOf.get(rb.id()), k -> new ArrayList<>())
                        .add(new Problem(
                                Position.of(fileOf.get(rb.id()).toString()),
                                "runbook " + rb.id() + " calls itself: " + String.join(" → ", cycle)));
            }
        }
        found.forEach((f, problems) -> {
            ok.remove(f);
            bad.put(f, problems);
        });
    }

    /** The call path from {@code id} back to itself, or null when it never comes back. */
    private static List<String> cycle(String id, Map<String, Runbook> byId, List<String> path) {
        if (!path.isEmpty() && path.get(0).equals(id)) {
            List<String> out = new ArrayList<>(path);
            out.add(id);
            return out;
        }
        if (path.contains(id) || !byId.containsKey(id)) {
            return null;
        }
        path.add(id);
        for (dev.runbook.model.Step s : steps(byId.get(id))) {
            if (s.action() instanceof dev.runbook.model.ActionSpec.Call c) {
                List<String> found = cycle(c.id(), byId, path);
                if (found != null) {
                    return found;
                }
            }
        }
        path.remove(path.size() - 1);
        return null;
    }

    private static List<dev.runbook.model.Step> steps(Runbook rb) {
        List<dev.runbook.model.Step> out = new ArrayList<>(rb.steps());
        out.addAll(rb.rollback());
        return out;
    }

    private static boolean isRunbookFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /**
     * True for an inventory's file name ({@value #INVENTORY}, or {@code environments.yml}): never
     * read as a runbook, checked as an inventory by {@code validate}.
     */
    public static boolean isInventory(Path p) {
        Path name = p.getFileName();
        return name != null
                && (name.toString().equals(INVENTORY) || name.toString().equals("environments.yml"));
    }

    /** The valid runbook with this id. */
    public Optional<Runbook> byId(String id) {
        return runbooks.values().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** True when every file is valid. */
    public boolean valid() {
        return problems.isEmpty();
    }
}
