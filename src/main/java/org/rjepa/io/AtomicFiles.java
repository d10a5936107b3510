package org.rjepa.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a whole file under a temporary name in the same folder, forces it to disk and
 * renames it over the target, so that a reader (or a crash) sees the old file or the new
 * one, never a part of either.
 */
public final class AtomicFiles {
    /** What stands between a file's name and the tag of its temporary copy. */
    private static final String TEMPORARY = ".tmp-";

    private AtomicFiles() {
    }

    public static void writeString(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path file, byte[] bytes) {
        Path folder = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = createTemporary(folder, file.getFileName().toString());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
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
            throw new BadInputException("cannot write " + file + " (" + IoErrors.reason(e) + ").",
                    e);
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

    /**
     * Moves an existing {@code file} aside to the first free {@code NAME-k.EXT}, so that a
     * new result written under its name loses nothing.
     *
     * @return where the earlier file went, or null when there was none
     */
    public static Path keepEarlier(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        try {
            for (int k = 1; ; k++) {
                Path aside = file.resolveSibling(stem + "-" + k + ext);
                if (!Files.exists(aside)) {
                    Files.move(file, aside);
                    return aside;
                }
            }
        } catch (IOException e) {
            throw new BadInputException("cannot move the earlier " + file + " aside ("
                    + IoErrors.reason(e) + ").", e);
        }
    }

    /**
     * A new empty file {@code NAME.tmp-<random hex>} in {@code folder}, with the umask's
     * permissions (createTempFile would make it private).
     */
    public static Path createTemporary(Path folder, String name) throws IOException {
        while (true) {
            long tag = ThreadLocalRandom.current().nextLong();
            Path candidate = folder.resolve(name + TEMPORARY + Long.toHexString(tag));
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same tag: draw again
            }
        }
    }

    /**
     * Deletes the temporary files that a killed process left in {@code folder} beside
     * {@code names}; the files themselves are untouched.
     *
     * @return how many were deleted
     */
    public static int removeLeftovers(Path folder, String... names) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String entryName = entry.getFileName().toString();
                for (String name : names) {
                    if (entryName.startsWith(name + TEMPORARY) && Files.isRegularFile(entry)) {
                        Files.delete(entry);
                        removed++;
                        break;
                    }
                }
            }
        }
        return removed;
    }
}
