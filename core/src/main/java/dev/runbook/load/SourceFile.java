package dev.runbook.load;

import dev.runbook.model.Position;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a runbook or inventory file before any parsing, refusing at once what is not a small
 * UTF-8 text file: anything that is not a regular file (a FIFO that would block, a device such
 * as {@code /dev/zero}, a directory), a file over {@link #MAX_BYTES}, and bytes that are not
 * UTF-8 (contract: "UTF-8"), each with its position.
 */
final class SourceFile {

    /** The largest file read: 1 MiB. */
    static final int MAX_BYTES = 1024 * 1024;

    private SourceFile() {}

    /**
     * @param file the file (a symbolic link is followed, and its target must be a regular file)
     * @return its bytes (the sha256 of a runbook is taken on them) and its text
     * @throws InvalidException when it is not a regular file, is too big or is not UTF-8
     * @throws IOException when it cannot be read
     */
    static Read read(Path file) throws IOException, InvalidException {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(name);
        }
        if (!Files.isRegularFile(file)) {
            String what = Files.isDirectory(file) ? "a directory" : "not a regular file (a FIFO, a device or a socket)";
            throw problem(name, 1, 1, "refused: " + what + "; a runbook is a regular YAML file");
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw problem(name, 1, 1, "refused: " + size + " bytes, more than the 1 MiB a runbook may have");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            throw problem(name, 1, 1, "refused: more than the 1 MiB a runbook may have");
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return new Read(bytes, utf8.decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            int bad = firstBadByte(bytes);
            int line = 1;
            int col = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    col = 1;
                } else if ((bytes[i] & 0xC0) != 0x80) {
                    col++;
                }
            }
            throw problem(
                    name,
                    line,
                    col,
                    String.format("not UTF-8: byte 0x%02x cannot start or continue a character", bytes[bad] & 0xff));
        }
    }

    /** The bytes and their UTF-8 text. */
    record Read(byte[] bytes, String text) {}

    private static int firstBadByte(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            int n = c < 0x80
                    ? 0
                    : c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
            if (n < 0) {
                return i;
            }
            for (int k = 1; k <= n; k++) {
                if (i + k >= b.length || (b[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += n + 1;
        }
        return Math.max(0, b.length - 1);
    }

    private static InvalidException problem(String file, int line, int col, String message) {
        return new InvalidException(List.of(new Problem(new Position(file, line, col), message)));
    }
}
