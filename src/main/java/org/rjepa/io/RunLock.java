package org.rjepa.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per run folder: an exclusive lock on {@value #NAME} in it, held while a run
 * writes there and released by the operating system when the process ends, however it ends.
 * A second training, or a resume, aimed at a folder that is being written is refused rather
 * than mixing its files with the first's.
 */
public final class RunLock implements AutoCloseable {
    /** The lock's file in the run folder; it stays there, empty, after the run. */
    public static final String NAME = ".rjepa.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the folder's lock, or refuses in one sentence when another process holds it. */
    public static RunLock acquire(Path folder) {
        Path file = folder.resolve(NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw busy(folder);
            }
            return new RunLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            close(channel);
            throw busy(folder);
        } catch (IOException e) {
            close(channel);
            throw new BadInputException("cannot lock the run folder " + folder + " ("
                    + IoErrors.reason(e) + ").", e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        }
        close(channel);
    }

    private static BadInputException busy(Path folder) {
        return new BadInputException("another rjepa process is writing to " + folder
                + "; wait for it to end or choose another folder.");
    }

    private static void close(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written through it
        }
    }
}
