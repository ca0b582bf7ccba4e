package dev.runbook.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.runbook.template.Masker;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Appends events to an incident log (contract, "The incident log"): one JSON object per
 * line with {@code seq}, {@code ts}, {@code type}, {@code incident} and {@code prev} (the
 * SHA-256 of the previous line), each written, flushed and fsync'd before
 * {@link #append} returns (write-ahead). Every string is masked on the way out.
 * Thread-safe.
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

    private final Path path;
    private final String incidentId;
    private final FileChannel channel;
    private final Masker masker;
    private final Clock clock;
    private long seq;
    private String prev = GENESIS;

    private JournalWriter(Path path, String incidentId, FileChannel channel, Masker masker, Clock clock) {
        this.path = path;
        this.incidentId = incidentId;
        this.channel = channel;
        this.masker = masker;
        this.clock = clock;
    }

    /**
     * Creates a new log {@code <dir>/<incident-id>.jsonl}; the id is the UTC start time
     * and the runbook id ({@code 20261121T102345Z-RB-P1-003}), with {@code -2}, {@code -3}…
     * added when that file already exists.
     *
     * @param dir the log directory, created when missing
     * @param runbookId the runbook's id
     * @param start the incident's start
     * @throws IOException when the file cannot be created
     */
    public static JournalWriter create(Path dir, String runbookId, Instant start, Masker masker, Clock clock)
            throws IOException {
        Files.createDirectories(dir);
        String base = ID_TS.format(start) + "-" + runbookId;
        for (int n = 1; ; n++) {
            String id = n == 1 ? base : base + "-" + n;
            Path file = dir.resolve(id + ".jsonl");
            try {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                syncDirectory(dir);
                return new JournalWriter(file, id, ch, masker, clock);
            } catch (FileAlreadyExistsException e) {
                if (n > 1000) {
                    throw e;
                }
            }
        }
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

    /**
     * Writes one event with exactly its record's fields and syncs it to disk.
     *
     * @param event the event
     * @return the event's {@code seq}
     * @throws UncheckedIOException when the write or the sync fails
     */
    public long append(Event event) {
        Map<String, Object> fields = FIELDS.convertValue(event, FIELD_MAP);
        return append(event.type(), fields);
    }

    /**
     * Writes one event from its fields and syncs it to disk. The engine writes {@link Event}s
     * through {@link #append(Event)}; this form is for tools that copy events.
     *
     * @param type the event type
     * @param fields the event's own fields, in order; values are JSON-like (masked here)
     * @return the event's {@code seq}
     * @throws UncheckedIOException when the write or the sync fails
     */
    public synchronized long append(EventType type, Map<String, ?> fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("seq", ++seq);
        event.put("ts", TS.format(clock.instant()));
        event.put("type", type.wire());
        event.put("incident", incidentId);
        event.put("prev", prev);
        fields.forEach((k, v) -> event.put(k, masker.maskValue(v)));
        try {
            String line = JSON.writeValueAsString(event);
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.allocate(bytes.length + 1)
                    .put(bytes)
                    .put((byte) '\n')
                    .flip();
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
            prev = sha256(bytes);
            return seq;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + type + " is not serializable: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the incident log " + path + ": " + e.getMessage(), e);
        }
    }

    /** Lowercase hex SHA-256 of the bytes. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
