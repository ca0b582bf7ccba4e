package dev.runbook.store;

import dev.runbook.journal.JournalWriter;
import dev.runbook.model.Sha256;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A local copy of the store's logs (docs/team.md, "Team-wide commands"): each incident as
 * {@code <id>.jsonl}, byte for byte the store's events, with its {@code .sig}, in a private
 * directory, so {@code log list|show|export|stats|verify} read the team's incidents with the same
 * code as local logs. A copy is brought up to date by appending the events it lacks; one that
 * disagrees with the store is written again whole.
 */
public final class StoreMirror {

    private StoreMirror() {}

    /**
     * Where the copy of a store lives: {@code $XDG_CACHE_HOME/runbook/store/<12 hex of its URL>},
     * else {@code ~/.cache/runbook/store/…}.
     *
     * @param store the store
     * @param env the process environment
     */
    public static Path dir(Store store, Map<String, String> env) {
        String cache = env.get("XDG_CACHE_HOME");
        Path base =
                cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("runbook")
                .resolve("store")
                .resolve(Sha256.hex(store.describe()).substring(0, 12));
    }

    /**
     * Brings the copy of every incident whose id starts with a prefix up to date.
     *
     * @param c a connection to the store
     * @param dir the copy's directory (created 0700)
     * @param prefix an id prefix, "" for all
     * @return the incidents copied; copies of incidents the store no longer holds are removed
     * @throws SQLException when the store fails
     * @throws IOException when the copy cannot be written
     */
    public static List<Store.Head> sync(Connection c, Path dir, String prefix) throws SQLException, IOException {
        JournalWriter.createPrivateDirectory(dir);
        List<Store.Head> heads = Store.heads(c, prefix);
        Set<String> listed = new HashSet<>();
        for (Store.Head h : heads) {
            sync(c, dir, h);
            listed.add(h.id() + ".jsonl");
        }
        // a cache, not a record: a copy of an incident the store no longer holds goes
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(prefix)
                        && name.endsWith(".jsonl")
                        && !listed.contains(name)
                        && Store.head(c, name.substring(0, name.length() - ".jsonl".length()))
                                .isEmpty()) { // checked again: it may have come since the list was read
                    Files.deleteIfExists(f);
                    Files.deleteIfExists(dir.resolve(name + ".sig"));
                }
            }
        }
        return heads;
    }

    /**
     * Brings one incident's copy up to date with the store's head. Several processes of this
     * machine (a board, a {@code log follow}) may bring the same copy up to date at once: they take
     * turns on a file lock of the directory, a copy already ahead of {@code h} (another process saw
     * a later head) is left as it is, and a copy that disagrees with the store is replaced whole
     * (atomic rename), so a reader never sees a line twice or a cut file.
     *
     * @return the copy's path
     */
    public static Path sync(Connection c, Path dir, Store.Head h) throws SQLException, IOException {
        synchronized (StoreMirror.class) { // a file lock is per JVM: threads of this one take turns here
            try (FileChannel lock =
                    FileChannel.open(dir.resolve(".sync.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock held = lock.lock();
                try {
                    return syncLocked(c, dir, h);
                } finally {
                    held.release();
                }
            }
        }
    }

    private static Path syncLocked(Connection c, Path dir, Store.Head h) throws SQLException, IOException {
        Path file = dir.resolve(h.id() + ".jsonl");
        List<String> have = Files.isRegularFile(file) ? lines(file) : List.of();
        long n = have.size();
        long common = Math.min(n, h.headSeq());
        boolean agrees =
                common == 0 || Store.lines(c, h.id(), common - 1, common).equals(List.of(have.get((int) common - 1)));
        if (agrees) {
            List<String> missing = n >= h.headSeq() ? List.of() : Store.lines(c, h.id(), n, h.headSeq());
            if (!missing.isEmpty()) {
                Files.writeString(
                        file,
                        text(missing),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        } else {
            Path tmp = Files.createTempFile(dir, ".sync", ".tmp");
            Files.writeString(tmp, text(Store.lines(c, h.id(), 0, h.headSeq())), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        Path sig = dir.resolve(h.id() + ".jsonl.sig");
        if (h.signature() != null) {
            Files.writeString(sig, h.signature(), StandardCharsets.US_ASCII);
        } else {
            Files.deleteIfExists(sig);
        }
        return file;
    }

    private static String text(List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append('\n'));
        return text.toString();
    }

    private static List<String> lines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        if (!text.isEmpty() && !text.endsWith("\n") && !out.isEmpty()) {
            out.remove(out.size() - 1); // a torn copy: written again
        }
        return out;
    }

    /**
     * Keeps one incident's copy up to date as its events reach the store, by LISTEN on
     * {@link Store#CHANNEL} (no polling of the store), until closed.
     */
    public static final class Follower implements AutoCloseable {
        private final Thread thread;
        private volatile boolean closed;
        private volatile String error;

        /**
         * Starts listening.
         *
         * @param store the store
         * @param dir the copy's directory
         * @param incident the incident followed
         * @throws SQLException when the store cannot be reached
         */
        public Follower(Store store, Path dir, String incident) throws SQLException {
            Connection c = store.connect();
            try (var s = c.createStatement()) {
                s.execute("listen " + Store.CHANNEL);
            }
            thread = new Thread(() -> listen(c, dir, incident), "runbook-store-follow");
            thread.setDaemon(true);
            thread.start();
        }

        private void listen(Connection c, Path dir, String incident) {
            try (c) {
                PGConnection pg = c.unwrap(PGConnection.class);
                Store.Head first = Store.head(c, incident).orElse(null);
                if (first != null) {
                    sync(c, dir, first); // what came between the caller's copy and LISTEN
                }
                while (!closed) {
                    PGNotification[] got = pg.getNotifications(1_000);
                    boolean mine = false;
                    for (PGNotification n : got == null ? new PGNotification[0] : got) {
                        mine |= incident.equals(n.getParameter());
                    }
                    if (mine) {
                        Store.Head h = Store.head(c, incident).orElse(null);
                        if (h != null) {
                            sync(c, dir, h);
                        }
                    }
                }
            } catch (SQLException | IOException e) {
                error = e.getMessage();
            }
        }

        /** Why listening stopped, or null while it goes on. */
        public String error() {
            return error;
        }

        @Override
        public void close() {
            closed = true;
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
