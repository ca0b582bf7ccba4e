package dev.runbook.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.runbook.model.Sha256;
import dev.runbook.template.Masker;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Appends events to an incident log (contract, "The incident log"): one JSON object per line
 * with {@code seq}, {@code ts}, {@code type}, {@code incident} and {@code prev} (the SHA-256 of
 * the previous line), each written whole, flushed and fsync'd before {@link #append} returns
 * (write-ahead). Every string is masked on the way out. Thread-safe.
 *
 * <p>What it guarantees against faults (docs/format.md, "The incident log"): the log is born
 * with its first event ({@code incident.opened} is written to a private temporary file that is
 * then hard-linked into place, so a kill never leaves an empty log); the directory is created
 * 0700 and the file 0600; before each event the writer checks that the file at its path is still
 * the one it holds (same file key: inode and device); a write that fails part-way is cut back,
 * so no line is ever half-written. When the log cannot be written (removed or replaced, a
 * failed write or fsync such as ENOSPC or EIO), {@link #append} throws {@link
 * JournalFailedException} and that event and every later one go to the fallback: stderr as one
 * JSON line each, and {@code $XDG_STATE_HOME/runbook/<id>.jsonl}; nothing that happened is lost.
 */
public final class JournalWriter implements Closeable {

    /** {@code prev} of the first line. */
    public static final String GENESIS = "0".repeat(64);
    /** RFC 3339 UTC with milliseconds. */
    public static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter ID_TS =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Event records → ordered field maps: snake_case names, nulls kept (the contract's fields are all written). */
    private static final ObjectMapper FIELDS =
            new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private static final TypeReference<LinkedHashMap<String, Object>> FIELD_MAP = new TypeReference<>() {};
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private final String incidentId;
    private final FileOutputStream out;
    private final Object fileKey;
    private long size;
    private final Masker masker;
    private final Clock clock;
    private final Fallback fallback;
    private long seq;
    private String prev = GENESIS;
    private String failure;
    private java.util.function.Consumer<String> replica;

    private JournalWriter(
            Path path,
            String incidentId,
            FileOutputStream out,
            Object fileKey,
            Masker masker,
            Clock clock,
            Fallback fallback) {
        this.path = path;
        this.incidentId = incidentId;
        this.out = out;
        this.fileKey = fileKey;
        this.masker = masker;
        this.clock = clock;
        this.fallback = fallback;
    }

    /**
     * Where events go when the log cannot be written.
     *
     * @param err stderr (each event as one JSON line, prefixed {@code runbook: journal: })
     * @param dir a directory for a copy of the log ({@code $XDG_STATE_HOME/runbook}); may be null
     */
    public record Fallback(PrintWriter err, Path dir) {

        /**
         * The default: the process's stderr and {@code $XDG_STATE_HOME/runbook}, else
         * {@code ~/.local/state/runbook} (XDG Base Directory specification), and the given stderr.
         */
        public static Fallback standard(Map<String, String> env, PrintWriter err) {
            String state = env.get("XDG_STATE_HOME");
            Path base = state != null && !state.isBlank()
                    ? Path.of(state)
                    : Path.of(System.getProperty("user.home"), ".local", "state");
            return new Fallback(err, base.resolve("runbook"));
        }
    }

    /**
     * Creates a directory of incident records as the logs' own: owner-only (0700) where the file
     * system has POSIX permissions; nothing when it exists.
     *
     * @throws IOException when it cannot be created
     */
    public static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } else {
            Files.createDirectories(dir);
        }
    }

    /**
     * Creates a new log {@code <dir>/<incident-id>.jsonl} holding its first event; the id is the
     * UTC start time and the runbook id ({@code 20261121T102345Z-RB-P1-003}), with {@code -2},
     * {@code -3}… added when that file already exists.
     *
     * @param dir the log directory, created (0700) when missing
     * @param runbookId the runbook's id
     * @param start the incident's start
     * @param masker masks every string written
     * @param clock the events' timestamps
     * @param first the first event ({@code incident.opened})
     * @param fallback where events go when the log cannot be written
     * @throws IOException when the log cannot be created
     */
    public static JournalWriter create(
            Path dir, String runbookId, Instant start, Masker masker, Clock clock, Event first, Fallback fallback)
            throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        createPrivateDirectory(dir);
        String base = ID_TS.format(start) + "-" + runbookId;
        for (int n = 1; ; n++) {
            String id = n == 1 ? base : base + "-" + n;
            Path file = dir.resolve(id + ".jsonl");
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path tmp =
                    dir.resolve("." + id + ".jsonl." + ProcessHandle.current().pid() + ".tmp");
            FileAttribute<?>[] attrs = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                    : new FileAttribute<?>[0];
            Files.createFile(tmp, attrs);
            // a stream, not a FileChannel: an interrupt (a stop signal reaching the walking thread)
            // would close an interruptible channel under the log
            FileOutputStream ch = new FileOutputStream(tmp.toFile(), true);
            JournalWriter w;
            try {
                Object key = Files.readAttributes(tmp, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .fileKey();
                w = new JournalWriter(file, id, ch, key, masker, clock, fallback);
                w.writeLine(first.type(), fields(first));
                try {
                    Files.createLink(file, tmp); // atomic, and refuses an existing name
                } catch (FileAlreadyExistsException e) {
                    ch.close();
                    Files.deleteIfExists(tmp);
                    if (n > 1000) {
                        throw e;
                    }
                    continue;
                }
                Files.delete(tmp);
                syncDirectory(dir);
                return w;
            } catch (IOException | RuntimeException e) {
                ch.close();
                Files.deleteIfExists(tmp);
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
        }
    }

    /**
     * Reopens a log to append to it ({@code runbook resume}, docs/format.md "Resume and
     * hand-off"): the next event continues its {@code seq} and {@code prev} chain. A last line torn
     * by a crash is cut off first (the file is truncated to its complete lines and synced); the
     * caller records that it was.
     *
     * @param file the log
     * @param log the log as read, its chain verified by the caller ({@link JournalVerifier})
     * @param masker masks every string written
     * @param clock the events' timestamps
     * @param fallback where events go when the log cannot be written
     * @throws IOException when the file cannot be opened or truncated, or it changed since it was
     *     read (its size is not the lines read plus the torn tail)
     */
    public static JournalWriter reopen(Path file, JournalReader.Log log, Masker masker, Clock clock, Fallback fallback)
            throws IOException {
        if (log.events().isEmpty()) {
            throw new IOException(file + " holds no event to continue");
        }
        long complete = 0;
        for (JournalReader.Event e : log.events()) {
            complete += e.raw().getBytes(StandardCharsets.UTF_8).length + 1L;
        }
        long torn = log.tornTail() == null ? 0 : log.tornTail().getBytes(StandardCharsets.UTF_8).length;
        long actual = Files.size(file);
        if (actual != complete + torn) {
            throw new IOException(file + " changed while it was read (" + actual + " bytes, expected "
                    + (complete + torn) + "): is a run still writing it?");
        }
        if (torn > 0) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(complete);
                raf.getFD().sync();
            }
        }
        JournalReader.Event last = log.events().get(log.events().size() - 1);
        FileOutputStream out = new FileOutputStream(file.toFile(), true);
        Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
        JournalWriter w = new JournalWriter(file, last.str("incident"), out, key, masker, clock, fallback);
        w.size = complete;
        w.seq = last.num("seq");
        w.prev = Sha256.hex(last.raw().getBytes(StandardCharsets.UTF_8));
        return w;
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every file system lets a directory be synced; the file itself still is.
        }
    }

    /** The incident id (the file name without {@code .jsonl}). */
    public String incidentId() {
        return incidentId;
    }

    /** The log file. */
    public Path path() {
        return path;
    }

    /** Why the log could not be written, or null while it can. */
    public synchronized String failure() {
        return failure;
    }

    /** The fallback copy of the log ({@code <fallback dir>/<id>.jsonl}), or null when none. */
    public Path fallbackFile() {
        return fallback == null || fallback.dir() == null
                ? null
                : fallback.dir().resolve(incidentId + ".jsonl");
    }

    /**
     * Writes one event with exactly its record's fields and syncs it to disk.
     *
     * @param event the event
     * @return the event's {@code seq}
     * @throws JournalFailedException when the log cannot be written (the event went to the fallback)
     */
    public long append(Event event) {
        return append(event.type(), fields(event));
    }

    private static Map<String, Object> fields(Event event) {
        return FIELDS.convertValue(event, FIELD_MAP);
    }

    /**
     * Writes one event from its fields and syncs it to disk. The engine writes {@link Event}s
     * through {@link #append(Event)}; this form is for tools that copy events.
     *
     * @param type the event type
     * @param fields the event's own fields, in order; values are JSON-like (masked here)
     * @return the event's {@code seq}
     * @throws JournalFailedException when the log cannot be written (the event went to the fallback)
     */
    public synchronized long append(EventType type, Map<String, ?> fields) {
        if (failure == null) {
            String moved = moved();
            if (moved != null) {
                failure = moved;
            }
        }
        if (failure != null) {
            String line = line(type, fields);
            toFallback(line);
            throw new JournalFailedException(path, failure);
        }
        try {
            return writeLine(type, fields);
        } catch (IOException e) {
            failure = "cannot write the incident log " + path + ": " + e.getMessage();
            seq--;
            toFallback(line(type, fields));
            throw new JournalFailedException(path, failure);
        }
    }

    /**
     * Hands every line of the log to a replica, those written so far and then each new one once it
     * is on disk (the team's store, docs/team.md: the local log stays the write-ahead source of
     * truth). The replica must not block: it is called under the writer's lock.
     *
     * @param replica takes each exact line, without its newline, in log order
     * @throws IOException when the lines written so far cannot be read back
     */
    public synchronized void replicate(java.util.function.Consumer<String> replica) throws IOException {
        byte[] all;
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "r")) {
            all = new byte[(int) size];
            raf.readFully(all);
        }
        String text = new String(all, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                replica.accept(line);
            }
        }
        this.replica = replica;
    }

    /** Why the file at the path is not the one held any more, or null when it is. */
    private String moved() {
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
            return Objects.equals(now, fileKey) ? null : "the incident log " + path + " was replaced by another file";
        } catch (IOException e) {
            return "the incident log " + path + " is gone (its directory removed or unmounted?): " + e.getMessage();
        }
    }

    private long writeLine(EventType type, Map<String, ?> fields) throws IOException {
        String line = line(type, fields);
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        byte[] withNewline = Arrays.copyOf(bytes, bytes.length + 1);
        withNewline[bytes.length] = '\n';
        try {
            out.write(withNewline);
            out.getFD().sync();
        } catch (IOException e) {
            try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
                raf.setLength(size); // never leave half a line
                raf.getFD().sync();
            } catch (IOException ignored) {
                // the device refuses even that: the reader tolerates a torn last line
            }
            throw e;
        }
        size += withNewline.length;
        prev = Sha256.hex(bytes);
        if (replica != null) {
            replica.accept(line);
        }
        return seq;
    }

    /** The next line: the envelope, then the fields, masked; advances seq. */
    private String line(EventType type, Map<String, ?> fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("seq", ++seq);
        event.put("ts", TS.format(clock.instant()));
        event.put("type", type.wire());
        event.put("incident", incidentId);
        event.put("prev", prev);
        fields.forEach((k, v) -> event.put(k, masker.maskValue(v)));
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + type + " is not serializable: " + e.getOriginalMessage(), e);
        }
    }

    private void toFallback(String line) {
        prev = Sha256.hex(line.getBytes(StandardCharsets.UTF_8));
        if (fallback == null) {
            return;
        }
        fallback.err().println("runbook: journal: " + line);
        fallback.err().flush();
        if (fallback.dir() != null) {
            try {
                Files.createDirectories(fallback.dir());
                Files.writeString(
                        fallbackFile(),
                        line + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND,
                        StandardOpenOption.SYNC);
            } catch (IOException e) {
                fallback.err()
                        .println("runbook: journal: the fallback copy " + fallbackFile() + " failed too: "
                                + e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /** The log could not be written; the event was kept in the fallback. */
    public static final class JournalFailedException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        JournalFailedException(Path path, String message) {
            super(message, new IOException(message));
        }
    }
}
