package org.rjepa.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a whole file under a temporary name in the same folder, forces it to disk and
 * renames it over the target, so that a reader (or a crash) sees the old file or the new
 * one, never a part of either.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void writeString(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path file, byte[] bytes) {
        Path folder = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            // a fresh name with the umask's permissions (createTempFile would make it private)
            tmp = folder.resolve(file.getFileName() + "." + Long.toHexString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE_NEW)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new BadInputException("cannot write " + file + " (" + e.getMessage() + ").", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is left behind; the target is untouched either way
                }
            }
        }
    }
}
