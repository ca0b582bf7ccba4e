package dev.runbook.lock;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Optional;

/**
 * One responder at a time (issue 10, item 2): an exclusive lock on (runbook id, environment) for
 * a run's whole duration, held by the operating system ({@link FileChannel#tryLock()} on
 * {@code <log-dir>/locks/<runbook>@<env>.lock}, so it is released when the process dies, even by
 * SIGKILL), with its holder written in the file as JSON for the next responder to read. Dry-runs
 * and drills take no lock.
 */
public final class RunLock implements ResponderLock {

    /** The directory of the lock files, under the log directory. */
    public static final String DIR = "locks";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Who holds a lock.
     *
     * @param runbook the runbook id
     * @param env the environment's name ({@code none} without one)
     * @param incident the holder's incident id; null until its log exists
     * @param operator who runs it
     * @param host the operator's machine
     * @param pid the holder's process id
     * @param since when it took the lock (RFC 3339 UTC)
     */
    public record Holder(
            String runbook, String env, String incident, String operator, String host, long pid, String since) {

        /** One line for the next responder: "incident X (operator alice on host h, pid 42) since T". */
        public String describe() {
            return (incident == null ? "a run starting" : "incident " + incident) + " (operator " + operator
                    + " on host " + host + ", pid " + pid + ") since " + since;
        }
    }

    /** The lock is held by another run; {@link #holder()} says who. */
    public static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Holder holder;

        /** @param holder who holds it */
        public HeldException(Holder holder) {
            super(holder.runbook() + " on " + holder.env() + " is held by " + holder.describe());
            this.holder = holder;
        }

        /** Who holds it (fields may be "unknown" when the file could not be read). */
        public Holder holder() {
            return holder;
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Object fileKey;
    private Holder holder;
    private final Holder stolenFrom;

    private RunLock(Path file, FileChannel channel, FileLock lock, Object fileKey, Holder holder, Holder stolenFrom)
            throws IOException {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.fileKey = fileKey;
        this.holder = holder;
        this.stolenFrom = stolenFrom;
        write();
    }

    /**
     * Takes the lock of a runbook on an environment.
     *
     * @param logDir the log directory ({@code locks/} is created in it, mode 0700 like the logs)
     * @param runbook the runbook id
     * @param env the environment's name, or null
     * @param operator who runs it
     * @param host this machine
     * @param steal when the lock is held: take it anyway (the holder's file is unlinked and a new
     *     one locked; the holder keeps running, so the caller records whom it stole it from)
     * @return the held lock; {@link #close()} releases it
     * @throws HeldException when another run holds it and {@code steal} is false
     * @throws IOException when the lock file cannot be created or written
     */
    public static RunLock acquire(Path logDir, String runbook, String env, String operator, String host, boolean steal)
            throws HeldException, IOException {
        String envName = env == null ? "none" : env;
        Path dir = logDir.resolve(DIR);
        dev.runbook.journal.JournalWriter.createPrivateDirectory(dir);
        Path file = dir.resolve(safe(runbook) + "@" + safe(envName) + ".lock");
        Holder me = new Holder(
                runbook,
                envName,
                null,
                operator,
                host,
                ProcessHandle.current().pid(),
                Instant.now().toString());
        Holder stolen = null;
        for (int tries = 0; tries < 3; tries++) {
            FileChannel ch = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Object opened = key(file);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // held by this JVM
            }
            if (l != null && opened != null && opened.equals(key(file))) {
                return new RunLock(file, ch, l, opened, me, stolen);
            }
            if (l != null) {
                l.release(); // the file was replaced while we locked it: try the new one
                ch.close();
                continue;
            }
            Holder held = read(ch, runbook, envName);
            ch.close();
            if (!steal) {
                throw new HeldException(held);
            }
            stolen = held;
            Files.deleteIfExists(file);
        }
        throw new IOException("could not lock " + file + ": it kept being replaced");
    }

    /**
     * The incidents of this machine whose run still holds its lock: a lock file naming the incident,
     * written by a process of this host that is still alive (no lock is taken to find out, so a
     * starting run is never refused because of a reader).
     *
     * @param logDir the log directory
     * @param host this machine's name, as runs record it
     * @return the incident ids; empty when there is no lock directory
     */
    public static java.util.Set<String> running(Path logDir, String host) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        Path dir = logDir.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().endsWith(".lock")) {
                    continue;
                }
                try {
                    Holder h = JSON.readValue(Files.readAllBytes(f), Holder.class);
                    boolean alive = ProcessHandle.of(h.pid())
                            .map(ProcessHandle::isAlive)
                            .orElse(false);
                    if (h.incident() != null && host.equals(h.host()) && alive) {
                        ids.add(h.incident());
                    }
                } catch (IOException | RuntimeException e) {
                    // being written, or not a lock file: not running as far as we can tell
                }
            }
        } catch (IOException e) {
            return ids;
        }
        return ids;
    }

    @Override
    public Optional<Holder> stolenFrom() {
        return Optional.ofNullable(stolenFrom);
    }

    /** Who holds it: this run. */
    public Holder holder() {
        return holder;
    }

    /** Records the incident id in the lock file, once the log exists. */
    @Override
    public void incident(String id) throws IOException {
        holder = new Holder(
                holder.runbook(), holder.env(), id, holder.operator(), holder.host(), holder.pid(), holder.since());
        write();
    }

    /** Releases the lock and removes its file (unless another run replaced it). */
    @Override
    public void close() {
        try {
            if (fileKey.equals(key(file))) {
                Files.deleteIfExists(file);
            }
            try {
                Files.deleteIfExists(file.getParent()); // only when no other lock is in it
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // another run holds a lock of this log directory
            }
            lock.release();
            channel.close();
        } catch (IOException e) {
            // released by the operating system when the process ends anyway
        }
    }

    private void write() throws IOException {
        byte[] b = JSON.writeValueAsBytes(holder);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(b), 0);
        channel.force(true);
    }

    /** The file's identity (device and inode), or null when it does not exist. */
    private static Object key(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static Holder read(FileChannel ch, String runbook, String env) {
        try {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(ch.size(), 64 * 1024));
            ch.read(buf, 0);
            return JSON.readValue(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8), Holder.class);
        } catch (IOException | RuntimeException e) {
            return new Holder(runbook, env, null, "unknown", "unknown", -1, "unknown");
        }
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
