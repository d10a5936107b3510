package org.rjepa.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.rjepa.io.BadInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads MNIST-format IDX files: an idx3-ubyte image file ({@code count x rows x cols} unsigned
 * bytes) and an optional idx1-ubyte label file ({@code count} unsigned bytes), each either raw
 * or gzipped. Gzip is recognised by its first two bytes (1f 8b), never by the file name.
 * Pixels become {@code v / 255} in an {@link ImageSet} of one channel, {@code rows x cols}.
 *
 * <p>Every problem with a file is a {@link BadInputException} whose message is one sentence
 * naming the file. The header is never trusted with memory: a raw file's header is checked
 * against the file's size before anything is allocated, and a gzipped stream, whose length is
 * unknown until it ends, is read in chunks into a buffer that grows only as data arrives, so a
 * header that lies about its count costs no more memory than the data really present. Headers
 * are also capped: rows and columns at {@value #MAX_SIDE}, and one set at
 * {@value #MAX_VALUES} pixels, the largest array the JVM reliably allocates.
 *
 * <p>Data after the last image or label that the header declares is refused, not ignored: it
 * means the header's count does not describe the file, and guessing which is right would hide
 * a damaged or mislabelled file. A count of zero images is refused as well.
 *
 * <p>Limits: the whole set is held in memory as floats (4 bytes a pixel), and while a file is
 * read its bytes are held beside them, so a set needs about five bytes a pixel at its peak.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned bytes with three dimensions. */
    static final int IMAGE_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with one dimension. */
    static final int LABEL_MAGIC = 0x00000801;
    /** Largest number of rows or columns accepted from a header. */
    static final int MAX_SIDE = 65536;
    /** Largest number of pixels in one set (and in one file). */
    static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private static final String BUNDLED_DIR = "/org/rjepa/data/fashion-mnist/";
    private static final String BUNDLED_IMAGES = BUNDLED_DIR + "t10k-images-idx3-ubyte.gz";
    private static final String BUNDLED_LABELS = BUNDLED_DIR + "t10k-labels-idx1-ubyte.gz";

    private static final int IMAGE_HEADER_BYTES = 16;
    private static final int LABEL_HEADER_BYTES = 8;
    /** Bytes asked of the stream per read. */
    private static final int CHUNK = 1 << 16;
    /** Most bytes read past the declared data of a gzipped stream to count them. */
    private static final long MAX_DRAINED = 1 << 26;
    /** First capacity of the body buffer when the stream's length is unknown. */
    private static final int FIRST_CAPACITY = 1 << 20;
    private static final float[] UNIT_VALUE = unitValues();

    private static final Logger LOG = LoggerFactory.getLogger(IdxReader.class);

    private IdxReader() {
    }

    /**
     * Reads one image file and, when {@code labels} is not null, its label file.
     *
     * @param images an idx3-ubyte file, raw or gzipped
     * @param labels an idx1-ubyte file, raw or gzipped, with one label per image; or null
     * @return {@code count x rows x cols x 1} pixels in [0, 1], whose source is {@code images}
     * @throws BadInputException when a file is missing, unreadable or not what its header says
     */
    public static ImageSet read(Path images, Path labels) {
        Objects.requireNonNull(images, "images");
        Pixels pixels = readImages(images);
        int[] labelValues = labels == null ? null : readLabels(labels, pixels);
        ImageSet set = pixels.toSet(labelValues, images.toString());
        LOG.info("Read {}", set);
        return set;
    }

    /**
     * Reads every image file of an MNIST-format folder, with its labels where they exist.
     *
     * <p>An image file is a regular, not hidden, file whose name contains both "images" and
     * "idx3"; its labels are the file of the same name with "images" changed to "labels" and
     * "idx3" to "idx1", with or without a trailing ".gz". Where a split is there both raw and
     * gzipped ({@code x} and {@code x.gz}), the raw copy is read and the other skipped. The sets
     * are joined in the order of their file names, so {@code t10k-...} comes before
     * {@code train-...}. If any image file lacks labels, the joined set has none.
     *
     * @param dir the folder
     * @return all images of the folder, {@code count x rows x cols x 1}, whose source is
     *         {@code dir}
     * @throws BadInputException when the folder is missing or holds no image file, when the
     *         files disagree on the image size, or when one of them cannot be read
     */
    public static ImageSet readFolder(Path dir) {
        Objects.requireNonNull(dir, "dir");
        List<Path> imageFiles = findImageFiles(dir);

        // read each pair; labels stay null for the whole set once one file lacks them
        List<Pixels> parts = new ArrayList<>();
        List<int[]> labelParts = new ArrayList<>();
        boolean labelled = true;
        long total = 0;
        for (Path file : imageFiles) {
            Pixels part = readImages(file);
            if (!parts.isEmpty()) {
                requireSameSize(parts.get(0), part);
            }
            total += part.values.length;
            if (total > MAX_VALUES) {
                throw new BadInputException("The image files of " + dir + " hold more than "
                        + MAX_VALUES + " pixels together, more than one image set can hold.");
            }
            Path labelFile = findLabelFile(file);
            if (labelFile == null && labelled) {
                LOG.warn("{} has no label file beside it; the images of {} are read unlabelled",
                        file, dir);
                labelled = false;
            }
            labelParts.add(labelled ? readLabels(labelFile, part) : null);
            parts.add(part);
        }

        ImageSet set = join(parts, labelled ? labelParts : null, dir.toString());
        LOG.info("Read {} ({} image files)", set, imageFiles.size());
        return set;
    }

    /**
     * Reads the Fashion-MNIST test split bundled with the engine, from the class path.
     *
     * @return 10,000 images of {@code 28 x 28 x 1}, labelled 0 to 9
     * @throws IllegalStateException when the resources are missing from the class path
     */
    public static ImageSet readBundled() {
        Pixels pixels = parseResource(BUNDLED_IMAGES,
                (in, length) -> parseImages(in, length, BUNDLED_IMAGES));
        int[] labels = parseResource(BUNDLED_LABELS,
                (in, length) -> parseLabels(in, length, BUNDLED_LABELS, pixels));
        ImageSet set = pixels.toSet(labels, "bundled Fashion-MNIST test split");
        LOG.info("Read {}", set);
        return set;
    }

    /** Image files of {@code dir}, one per split, sorted by file name. */
    private static List<Path> findImageFiles(Path dir) {
        if (!Files.exists(dir)) {
            throw new BadInputException(dir + " does not exist.");
        }
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + " is not a folder.");
        }

        // keyed by name without ".gz", so that x and x.gz count as one split
        Map<String, Path> bySplit = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(IdxReader::isImageFile).sorted().forEach(file -> {
                String split = withoutGz(file.getFileName().toString());
                Path other = bySplit.putIfAbsent(split, file);
                if (other != null) {
                    LOG.info("{} is also present as {}; only the first is read", other, file);
                }
            });
        } catch (IOException e) {
            throw new BadInputException(dir + " could not be listed" + detail(e) + ".", e);
        }

        if (bySplit.isEmpty()) {
            throw new BadInputException(dir + " holds no IDX image file (no file name contains"
                    + " both \"images\" and \"idx3\").");
        }
        return new ArrayList<>(bySplit.values());
    }

    private static boolean isImageFile(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && name.contains("images") && name.contains("idx3")
                && Files.isRegularFile(file);
    }

    /** The label file of {@code imageFile}, or null when there is none. */
    private static Path findLabelFile(Path imageFile) {
        String name = imageFile.getFileName().toString();
        String labelName = name.replace("images", "labels").replace("idx3", "idx1");
        String bare = withoutGz(labelName);
        for (String candidate : new String[] {labelName, bare, bare + ".gz"}) {
            Path file = imageFile.resolveSibling(candidate);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return null;
    }

    private static String withoutGz(String name) {
        return name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    }

    private static void requireSameSize(Pixels first, Pixels other) {
        if (other.rows != first.rows || other.cols != first.cols) {
            throw new BadInputException(other.name + " holds images of " + other.rows + "x"
                    + other.cols + " pixels, but " + first.name + " holds images of "
                    + first.rows + "x" + first.cols + ".");
        }
    }

    /** One set holding {@code parts} in order; {@code labelParts} null for an unlabelled set. */
    private static ImageSet join(List<Pixels> parts, List<int[]> labelParts, String source) {
        if (parts.size() == 1) {
            return parts.get(0).toSet(labelParts == null ? null : labelParts.get(0), source);
        }
        int values = 0;
        int count = 0;
        for (Pixels part : parts) {
            values += part.values.length;
            count += part.count;
        }

        float[] pixels = new float[values];
        int[] labels = labelParts == null ? null : new int[count];
        int valueAt = 0;
        int imageAt = 0;
        for (int p = 0; p < parts.size(); p++) {
            Pixels part = parts.get(p);
            System.arraycopy(part.values, 0, pixels, valueAt, part.values.length);
            if (labels != null) {
                System.arraycopy(labelParts.get(p), 0, labels, imageAt, part.count);
            }
            valueAt += part.values.length;
            imageAt += part.count;
        }
        Pixels first = parts.get(0);
        return new ImageSet(pixels, labels, count, first.rows, first.cols, 1, source);
    }

    private static Pixels readImages(Path file) {
        String name = file.toString();
        return parseFile(file, (in, length) -> parseImages(in, length, name));
    }

    private static int[] readLabels(Path file, Pixels images) {
        String name = file.toString();
        return parseFile(file, (in, length) -> parseLabels(in, length, name, images));
    }

    /**
     * Parses the images of one IDX stream, already decompressed.
     *
     * @param length the stream's length in bytes, or -1 when unknown (a gzipped stream)
     */
    private static Pixels parseImages(InputStream in, long length, String name)
            throws IOException {
        int[] header = readHeader(in, name, IMAGE_HEADER_BYTES);
        if (header[0] != IMAGE_MAGIC) {
            throw new BadInputException(name + " is not an IDX image file (magic "
                    + hex(header[0]) + ", expected " + hex(IMAGE_MAGIC) + ").");
        }
        int count = header[1];
        int rows = header[2];
        int cols = header[3];
        if (count <= 0) {
            throw new BadInputException(name + " declares " + count + " images, but an image"
                    + " file must hold at least one.");
        }
        if (rows <= 0 || cols <= 0 || rows > MAX_SIDE || cols > MAX_SIDE) {
            throw new BadInputException(name + " declares images of " + rows + "x" + cols
                    + " pixels, but rows and columns must be between 1 and " + MAX_SIDE + ".");
        }
        // below 2^31 * 2^16 * 2^16, so the product cannot overflow a long
        long values = (long) count * rows * cols;
        if (values > MAX_VALUES) {
            throw new BadInputException(name + " declares " + count + " images of " + rows + "x"
                    + cols + ", " + values + " pixels, more than the " + MAX_VALUES
                    + " one image set can hold.");
        }

        byte[] body = readBody(in, length, name, IMAGE_HEADER_BYTES, (int) values, "pixel");
        float[] pixels = new float[body.length];
        for (int i = 0; i < body.length; i++) {
            pixels[i] = UNIT_VALUE[body[i] & 0xFF];
        }
        LOG.debug("Read {} images of {}x{} from {}", count, rows, cols, name);
        return new Pixels(pixels, count, rows, cols, name);
    }

    /**
     * Parses the labels of one IDX stream, already decompressed, for the images read before.
     *
     * @param length the stream's length in bytes, or -1 when unknown (a gzipped stream)
     */
    private static int[] parseLabels(InputStream in, long length, String name, Pixels images)
            throws IOException {
        int[] header = readHeader(in, name, LABEL_HEADER_BYTES);
        if (header[0] != LABEL_MAGIC) {
            throw new BadInputException(name + " is not an IDX label file (magic "
                    + hex(header[0]) + ", expected " + hex(LABEL_MAGIC) + ").");
        }
        int count = header[1];
        if (count != images.count) {
            throw new BadInputException(name + " holds " + count + " labels, but "
                    + images.name + " holds " + images.count + " images.");
        }

        // safe to allocate: count equals the number of images really read
        byte[] body = readBody(in, length, name, LABEL_HEADER_BYTES, count, "label");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = body[i] & 0xFF;
        }
        LOG.debug("Read {} labels from {}", count, name);
        return labels;
    }

    /** The header as big-endian int32 values, {@code bytes / 4} of them. */
    private static int[] readHeader(InputStream in, String name, int bytes) throws IOException {
        byte[] raw = new byte[bytes];
        int filled = 0;
        try {
            while (filled < bytes) {
                int n = in.read(raw, filled, bytes - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
        } catch (EOFException e) {
            throw truncated(name, filled, bytes, "header", e);
        }
        if (filled < bytes) {
            throw truncated(name, filled, bytes, "header", null);
        }

        int[] values = new int[bytes / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = (raw[4 * i] & 0xFF) << 24 | (raw[4 * i + 1] & 0xFF) << 16
                    | (raw[4 * i + 2] & 0xFF) << 8 | (raw[4 * i + 3] & 0xFF);
        }
        return values;
    }

    /**
     * Reads the {@code total} bytes after the header and makes sure nothing follows them.
     *
     * @param length the stream's length, or -1 when unknown: then the buffer grows as data
     *               arrives, so a header that lies about its size allocates nothing big
     * @param unit   what one byte is, for messages: "pixel" or "label"
     */
    private static byte[] readBody(InputStream in, long length, String name, int headerBytes,
            int total, String unit) throws IOException {
        if (length >= 0) {
            long present = length - headerBytes;
            if (present < total) {
                throw truncated(name, present, total, unit, null);
            }
            if (present > total) {
                throw new BadInputException(name + " has " + (present - total) + " bytes after"
                        + " the " + total + " " + unit + " bytes its header declares.");
            }
        }

        byte[] body = new byte[length >= 0 ? total : Math.min(total, FIRST_CAPACITY)];
        int filled = 0;
        try {
            while (filled < total) {
                if (filled == body.length) {
                    body = Arrays.copyOf(body, (int) Math.min(total, 2L * body.length));
                }
                int n = in.read(body, filled, Math.min(body.length - filled, CHUNK));
                if (n < 0) {
                    throw truncated(name, filled, total, unit, null);
                }
                filled += n;
            }
        } catch (EOFException e) {
            throw truncated(name, filled, total, unit, e);
        }

        // a gzipped stream checks its CRC only at its end, so read up to it; a corrupt
        // stream that inflates to too much data then fails its CRC rather than this check
        if (length < 0) {
            long extra = drain(in);
            if (extra > 0) {
                throw new BadInputException(name + " has " + (extra > MAX_DRAINED ? "more than "
                        + MAX_DRAINED : extra) + " bytes after the " + total + " " + unit
                        + " bytes its header declares.");
            }
        }
        return body;
    }

    /** Reads {@code in} to its end, or past {@value #MAX_DRAINED} bytes: how many it read. */
    private static long drain(InputStream in) throws IOException {
        byte[] scratch = new byte[CHUNK];
        long drained = 0;
        int n;
        while (drained <= MAX_DRAINED && (n = in.read(scratch)) >= 0) {
            drained += n;
        }
        return drained;
    }

    private static BadInputException truncated(String name, long present, long expected,
            String unit, EOFException cause) {
        // only a gzipped stream ends with an EOFException: its compressed data is cut short
        String how = cause == null ? "" : " (its gzip stream is cut short)";
        if (present == 0 && "header".equals(unit) && cause == null) {
            return new BadInputException(name + " is empty.");
        }
        return new BadInputException(name + " ends after " + present + " of " + expected + " "
                + unit + " bytes" + how + ".", cause);
    }

    /** Parses one file with {@code parser}, turning every I/O failure into one sentence. */
    private static <T> T parseFile(Path file, StreamParser<T> parser) {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new BadInputException(name + " is a folder, not an IDX file.");
        }
        try (InputStream raw = Files.newInputStream(file)) {
            return parseStream(raw, Files.size(file), name, parser);
        } catch (NoSuchFileException e) {
            throw new BadInputException(name + " does not exist.", e);
        } catch (AccessDeniedException e) {
            throw new BadInputException(name + " cannot be read (permission denied).", e);
        } catch (IOException e) {
            throw new BadInputException(name + " could not be read" + detail(e) + ".", e);
        }
    }

    /** Parses one class-path resource with {@code parser}. */
    private static <T> T parseResource(String resource, StreamParser<T> parser) {
        InputStream raw = IdxReader.class.getResourceAsStream(resource);
        if (raw == null) {
            throw new IllegalStateException("The bundled resource " + resource
                    + " is missing from the class path.");
        }
        try (raw) {
            return parseStream(raw, -1, resource, parser);
        } catch (IOException e) {
            throw new BadInputException(resource + " could not be read" + detail(e) + ".", e);
        }
    }

    /**
     * The one code path of files and resources: decompresses {@code raw} when it starts with
     * the gzip magic bytes, then hands it to {@code parser}.
     *
     * @param rawLength the length of {@code raw} in bytes, or -1 when unknown
     */
    private static <T> T parseStream(InputStream raw, long rawLength, String name,
            StreamParser<T> parser) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, CHUNK);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        if (!gzip) {
            return parser.parse(buffered, rawLength);
        }

        try (GZIPInputStream in = new GZIPInputStream(buffered, CHUNK)) {
            return parser.parse(in, -1);
        } catch (EOFException e) {
            throw new BadInputException(name + " is a truncated gzip file.", e);
        } catch (ZipException e) {
            throw new BadInputException(name + " is a corrupt gzip file" + detail(e) + ".", e);
        }
    }

    /** The exception's message in parentheses after a space, or nothing when it has none. */
    private static String detail(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? "" : " (" + message + ")";
    }

    private static String hex(int value) {
        return String.format("0x%08x", value);
    }

    private static float[] unitValues() {
        float[] values = new float[256];
        for (int v = 0; v < values.length; v++) {
            values[v] = v / 255f;
        }
        return values;
    }

    /** Parses a decompressed stream of known ({@code length >= 0}) or unknown length. */
    @FunctionalInterface
    private interface StreamParser<T> {
        T parse(InputStream in, long length) throws IOException;
    }

    /** The images of one file: {@code count x rows x cols} values in [0, 1], read-only. */
    private static final class Pixels {
        final float[] values;
        final int count;
        final int rows;
        final int cols;
        /** The file they were read from, for messages. */
        final String name;

        Pixels(float[] values, int count, int rows, int cols, String name) {
            this.values = values;
            this.count = count;
            this.rows = rows;
            this.cols = cols;
            this.name = name;
        }

        ImageSet toSet(int[] labels, String source) {
            return new ImageSet(values, labels, count, rows, cols, 1, source);
        }
    }
}
