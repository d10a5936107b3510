package org.rjepa.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.rjepa.io.BadInputException;
import org.rjepa.io.IoErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads CIFAR-10 binary batches ({@code data_batch_1.bin} ... {@code test_batch.bin}): records
 * of {@value #RECORD_BYTES} bytes, a label 0 to 9 and then 32 x 32 red, 32 x 32 green and
 * 32 x 32 blue bytes. A folder's {@code .bin} files are joined in the order of their names.
 * Pixels become {@code v / 255} in an {@link ImageSet} of {@code 32 x 32 x 3} (HWC).
 *
 * <p>The format has no header, so the file's length is the only claim to check: it must be a
 * whole, non-zero number of records, and the whole set's size is checked against the
 * largest array before anything is allocated.
 */
public final class Cifar10Reader implements ImageSource {
    static final int SIDE = 32;
    static final int CLASSES = 10;
    static final int RECORD_BYTES = 1 + SIDE * SIDE * 3;
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private static final Logger LOG = LoggerFactory.getLogger(Cifar10Reader.class);

    @Override
    public String format() {
        return "cifar10";
    }

    @Override
    public ImageSet read(Path path, ReadOptions options) {
        List<Path> files = batchFiles(path);

        // sizes first: every file a whole number of records, the set within one array
        long records = 0;
        for (Path file : files) {
            records += recordsIn(file);
        }
        long values = records * SIDE * SIDE * 3;
        if (values > MAX_VALUES) {
            throw new BadInputException(path + " holds " + records + " CIFAR-10 images, more"
                    + " than one image set can hold.");
        }

        float[] pixels = new float[(int) values];
        int[] labels = new int[(int) records];
        int image = 0;
        for (Path file : files) {
            image = readInto(file, pixels, labels, image);
        }
        ImageSet set = new ImageSet(pixels, labels, image, SIDE, SIDE, 3, path.toString());
        LOG.info("Read {} ({} batch files)", set, files.size());
        return set;
    }

    private static List<Path> batchFiles(Path path) {
        if (!Files.exists(path)) {
            throw new BadInputException(path + " does not exist.");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> entries = Files.list(path)) {
            List<Path> files = entries.filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> f.getFileName().toString().endsWith(".bin"))
                    .filter(f -> !Files.isDirectory(f)).sorted().toList();
            if (files.isEmpty()) {
                throw new BadInputException(path + " holds no CIFAR-10 batch (no .bin file).");
            }
            return files;
        } catch (IOException e) {
            throw new BadInputException(path + " could not be listed (" + e.getMessage()
                    + ").", e);
        }
    }

    private static long recordsIn(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + " cannot be read (it is a link to nothing or not"
                    + " a regular file).");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new BadInputException(file + " cannot be read (" + IoErrors.reason(e) + ").", e);
        }
        if (size == 0) {
            throw new BadInputException(file + " is empty.");
        }
        if (size % RECORD_BYTES != 0) {
            throw new BadInputException(file + " is " + size + " bytes, not a whole number of "
                    + RECORD_BYTES + "-byte CIFAR-10 records (" + size / RECORD_BYTES
                    + " and " + size % RECORD_BYTES + " bytes over): truncated, or not a "
                    + "CIFAR-10 batch.");
        }
        return size / RECORD_BYTES;
    }

    /** Reads the records of {@code file} from image {@code first} on; returns the next. */
    private static int readInto(Path file, float[] pixels, int[] labels, int first) {
        long expected = recordsIn(file);
        if (first + expected > labels.length) {
            throw new BadInputException(file + " grew while it was read.");
        }
        byte[] record = new byte[RECORD_BYTES];
        int plane = SIDE * SIDE;
        int image = first;
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file),
                1 << 16)) {
            for (long r = 0; r < expected; r++) {
                if (in.readNBytes(record, 0, RECORD_BYTES) != RECORD_BYTES) {
                    throw new BadInputException(file + " ended during record " + r
                            + " while it was read.");
                }
                int label = record[0] & 0xFF;
                if (label >= CLASSES) {
                    throw new BadInputException(file + " has label " + label + " in record "
                            + r + ", but CIFAR-10 labels are 0 to 9: not a CIFAR-10 batch, or a"
                            + " damaged one.");
                }
                labels[image] = label;

                // channel planes (CHW) to interleaved HWC
                int at = image * plane * 3;
                for (int p = 0; p < plane; p++) {
                    for (int c = 0; c < 3; c++) {
                        pixels[at + p * 3 + c] = (record[1 + c * plane + p] & 0xFF) / 255f;
                    }
                }
                image++;
            }
        } catch (AccessDeniedException e) {
            throw new BadInputException(file + " cannot be read (permission denied).", e);
        } catch (IOException e) {
            throw new BadInputException(file + " could not be read (" + IoErrors.reason(e) + ").",
                    e);
        }
        return image;
    }
}
