package org.rjepa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.rjepa.io.BadInputException;

class IdxReaderTest {
    private static final String BUNDLED = "/org/rjepa/data/fashion-mnist/";
    /** Pixel bytes of the bundled test split: 10,000 images of 28x28. */
    private static final int BUNDLED_PIXELS = 10_000 * 28 * 28;

    /** The bundled files, gzipped as shipped and decompressed: idx3 and idx1 bytes. */
    private static byte[] bundledImagesGz;
    private static byte[] bundledLabelsGz;
    private static byte[] bundledImages;
    private static byte[] bundledLabels;

    /** A small set for sweeping truncations: 20 images of 9x7 random bytes, labelled. */
    private static final int SMALL_COUNT = 20;
    private static byte[] smallImages;
    private static byte[] smallLabels;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadFiles() throws IOException {
        bundledImagesGz = resource("t10k-images-idx3-ubyte.gz");
        bundledLabelsGz = resource("t10k-labels-idx1-ubyte.gz");
        bundledImages = gunzip(bundledImagesGz);
        bundledLabels = gunzip(bundledLabelsGz);

        Random random = new Random(7);
        byte[] pixels = new byte[SMALL_COUNT * 9 * 7];
        random.nextBytes(pixels);
        byte[] labels = new byte[SMALL_COUNT];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) random.nextInt(10);
        }
        smallImages = imageFile(IdxReader.IMAGE_MAGIC, SMALL_COUNT, 9, 7, pixels);
        smallLabels = labelFile(IdxReader.LABEL_MAGIC, SMALL_COUNT, labels);
    }

    @Test
    void bundledSetIsTheFashionMnistTestSplit() {
        ImageSet set = IdxReader.readBundled();

        assertEquals(10_000, set.count());
        assertEquals(28, set.height());
        assertEquals(28, set.width());
        assertEquals(1, set.channels());
        assertTrue(set.hasLabels());
        int[] perClass = new int[10];
        for (int i = 0; i < set.count(); i++) {
            int label = set.label(i);
            assertTrue(label >= 0 && label <= 9, "label " + label + " of image " + i);
            perClass[label]++;
        }
        int[] thousandEach = new int[10];
        Arrays.fill(thousandEach, 1000);
        assertArrayEquals(thousandEach, perClass);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : set.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);

        // checked independently with Python's gzip module on the shipped files
        assertEquals(9, set.label(0), "first label is an ankle boot");
        assertEquals(2, set.label(1));
        assertEquals(1, set.label(2));
        assertEquals(5, set.label(9999));
        assertEquals(0f, set.pixel(0, 14, 11, 0));
        assertEquals(98 / 255f, set.pixel(0, 14, 12, 0));
        assertEquals(136 / 255f, set.pixel(0, 14, 13, 0));
        assertEquals(33456 / 255.0, imageSum(set, 0), 1e-3);
        assertEquals(100994 / 255.0, imageSum(set, 1), 1e-3);
        assertEquals(24390 / 255.0, imageSum(set, 9999), 1e-3);
    }

    @Test
    void rawAndGzippedCopiesReadIdentically() throws IOException {
        ImageSet bundled = IdxReader.readBundled();
        // names that lie about compression: detection must go by the bytes
        Path rawImages = write("raw-images-idx3-ubyte.gz", bundledImages);
        Path rawLabels = write("raw-labels-idx1-ubyte.gz", bundledLabels);
        Path gzImages = write("gz-images-idx3-ubyte", bundledImagesGz);
        Path gzLabels = write("gz-labels-idx1-ubyte", bundledLabelsGz);

        ImageSet raw = IdxReader.read(rawImages, rawLabels);
        ImageSet gz = IdxReader.read(gzImages, gzLabels);
        ImageSet mixed = IdxReader.read(rawImages, gzLabels);

        for (ImageSet set : new ImageSet[] {raw, gz, mixed}) {
            assertEquals(10_000, set.count());
            assertEquals(28, set.height());
            assertEquals(28, set.width());
            assertArrayEquals(bundled.pixels(), set.pixels());
            assertArrayEquals(labels(bundled), labels(set));
        }
        assertEquals(rawImages.toString(), raw.source());
        assertEquals(gzImages.toString(), gz.source());
    }

    @Test
    void labelsAreOptional() throws IOException {
        Path images = write("small-images-idx3-ubyte", smallImages);

        ImageSet set = IdxReader.read(images, null);

        assertFalse(set.hasLabels());
        assertEquals(SMALL_COUNT, set.count());
        assertEquals(9, set.height());
        assertEquals(7, set.width());
        assertEquals((smallImages[16] & 0xFF) / 255f, set.pixel(0, 0, 0, 0));
        assertEquals((smallImages[16 + 62] & 0xFF) / 255f, set.pixel(0, 8, 6, 0));
    }

    @Test
    void folderJoinsItsSplitsInFileNameOrder() throws IOException {
        byte[] trainPixels = new byte[7 * 28 * 28];
        for (int i = 0; i < trainPixels.length; i++) {
            trainPixels[i] = (byte) (i * 31);
        }
        byte[] trainLabels = {3, 1, 4, 1, 5, 9, 2};
        write("train-images-idx3-ubyte", imageFile(IdxReader.IMAGE_MAGIC, 7, 28, 28,
                trainPixels));
        write("train-labels-idx1-ubyte", labelFile(IdxReader.LABEL_MAGIC, 7, trainLabels));
        write("t10k-images-idx3-ubyte.gz", bundledImagesGz);
        write("t10k-labels-idx1-ubyte.gz", bundledLabelsGz);
        write("LICENSE", "not an IDX file".getBytes(StandardCharsets.US_ASCII));

        ImageSet set = IdxReader.readFolder(dir);

        assertEquals(10_007, set.count());
        assertEquals(dir.toString(), set.source());
        ImageSet bundled = IdxReader.readBundled();
        float[] expected = Arrays.copyOf(bundled.pixels(), set.pixels().length);
        for (int i = 0; i < trainPixels.length; i++) {
            expected[BUNDLED_PIXELS + i] = (trainPixels[i] & 0xFF) / 255f;
        }
        assertArrayEquals(expected, set.pixels());
        int[] expectedLabels = Arrays.copyOf(labels(bundled), 10_007);
        for (int i = 0; i < trainLabels.length; i++) {
            expectedLabels[10_000 + i] = trainLabels[i];
        }
        assertArrayEquals(expectedLabels, labels(set));
    }

    @Test
    void folderToleratesOtherNamesAndReadsADuplicatedSplitOnce() throws IOException {
        write("fashion.images.idx3", smallImages);
        write("fashion.labels.idx1.gz", gzip(smallLabels));
        write("b-images-idx3-ubyte", smallImages);
        write("b-images-idx3-ubyte.gz", gzip(smallImages));
        write("b-labels-idx1-ubyte", smallLabels);
        write("._b-images-idx3-ubyte", new byte[] {0, 0, 0});

        ImageSet set = IdxReader.readFolder(dir);

        assertEquals(2 * SMALL_COUNT, set.count());
        assertTrue(set.hasLabels());
        for (int i = 0; i < set.count(); i++) {
            assertEquals(smallLabels[8 + i % SMALL_COUNT], set.label(i), "label " + i);
        }
        ImageSet one = IdxReader.read(dir.resolve("fashion.images.idx3"), null);
        float[] twice = Arrays.copyOf(one.pixels(), 2 * one.pixels().length);
        System.arraycopy(one.pixels(), 0, twice, one.pixels().length, one.pixels().length);
        assertArrayEquals(twice, set.pixels());
    }

    @Test
    void folderWithAnUnlabelledSplitIsUnlabelled() throws IOException {
        write("a-images-idx3-ubyte", smallImages);
        write("a-labels-idx1-ubyte", smallLabels);
        write("b-images-idx3-ubyte", smallImages);

        ImageSet set = IdxReader.readFolder(dir);

        assertEquals(2 * SMALL_COUNT, set.count());
        assertFalse(set.hasLabels());
    }

    @Test
    void folderRefusesImagesOfDifferentSizes() throws IOException {
        Path small = write("a-images-idx3-ubyte", smallImages);
        Path other = write("b-images-idx3-ubyte",
                imageFile(IdxReader.IMAGE_MAGIC, 1, 7, 9, new byte[63]));

        BadInputException e = assertBad(() -> IdxReader.readFolder(dir), other);

        assertEquals(other + " holds images of 7x9 pixels, but " + small
                + " holds images of 9x7.", e.getMessage());
    }

    @Test
    void folderNamesItsBadFile() throws IOException {
        write("a-images-idx3-ubyte", smallImages);
        Path bad = write("b-images-idx3-ubyte", Arrays.copyOf(smallImages, 100));

        assertBad(() -> IdxReader.readFolder(dir), bad);
    }

    @Test
    void emptyOrMissingFolderIsRefused() throws IOException {
        BadInputException empty = assertBad(() -> IdxReader.readFolder(dir), dir);
        assertTrue(empty.getMessage().contains("holds no IDX image file"), empty.getMessage());

        write("t10k-labels-idx1-ubyte", smallLabels);
        assertBad(() -> IdxReader.readFolder(dir), dir);

        Path missing = dir.resolve("nowhere");
        BadInputException gone = assertBad(() -> IdxReader.readFolder(missing), missing);
        assertEquals(missing + " does not exist.", gone.getMessage());

        Path file = write("plain-file", smallImages);
        BadInputException notFolder = assertBad(() -> IdxReader.readFolder(file), file);
        assertEquals(file + " is not a folder.", notFolder.getMessage());
    }

    @Test
    void missingFileOrFolderAsFileIsRefused() {
        Path missing = dir.resolve("t10k-images-idx3-ubyte.gz");
        BadInputException e = assertBad(() -> IdxReader.read(missing, null), missing);
        assertEquals(missing + " does not exist.", e.getMessage());

        BadInputException folder = assertBad(() -> IdxReader.read(dir, null), dir);
        assertEquals(dir + " is a folder, not an IDX file.", folder.getMessage());
    }

    @Test
    void missingLabelFileIsRefused() throws IOException {
        Path images = write("a-images-idx3-ubyte", smallImages);
        Path labels = dir.resolve("a-labels-idx1-ubyte");

        assertBad(() -> IdxReader.read(images, labels), labels);
    }

    @Test
    void truncatedFilesAreRefusedAtEveryCut() throws IOException {
        byte[] imagesGz = gzip(smallImages);
        byte[] labelsGz = gzip(smallLabels);
        Path goodImages = write("good-images-idx3-ubyte", smallImages);
        Path images = dir.resolve("cut-images-idx3-ubyte");
        Path labels = dir.resolve("cut-labels-idx1-ubyte");

        for (byte[] whole : new byte[][] {smallImages, imagesGz}) {
            for (int cut : cuts(whole.length)) {
                Files.write(images, Arrays.copyOf(whole, cut));
                assertBad(() -> IdxReader.read(images, null), images);
            }
        }
        for (byte[] whole : new byte[][] {smallLabels, labelsGz}) {
            for (int cut : cuts(whole.length)) {
                Files.write(labels, Arrays.copyOf(whole, cut));
                assertBad(() -> IdxReader.read(goodImages, labels), labels);
            }
        }
    }

    @Test
    void truncatedBundledFilesSayHowFarTheyGot() throws IOException {
        Path images = dir.resolve("t10k-images-idx3-ubyte");

        Files.write(images, new byte[0]);
        assertEquals(images + " is empty.", assertBad(() -> read(images), images).getMessage());
        Files.write(images, Arrays.copyOf(bundledImages, 5));
        assertEquals(images + " ends after 5 of 16 header bytes.",
                assertBad(() -> read(images), images).getMessage());
        Files.write(images, Arrays.copyOf(bundledImages, bundledImages.length - 1));
        assertEquals(images + " ends after " + (BUNDLED_PIXELS - 1) + " of " + BUNDLED_PIXELS
                + " pixel bytes.", assertBad(() -> read(images), images).getMessage());

        Path gz = dir.resolve("t10k-images-idx3-ubyte.gz");
        int length = bundledImagesGz.length;
        for (int cut : new int[] {1, 2, 9, 10, 30, 1000, 100_000, 2_000_000, length - 9,
                length - 8, length - 4, length - 1}) {
            Files.write(gz, Arrays.copyOf(bundledImagesGz, cut));
            String message = assertBad(() -> read(gz), gz).getMessage();
            if (cut == 10) {
                assertEquals(gz + " ends after 0 of 16 header bytes (its gzip stream is cut"
                        + " short).", message);
            }
            if (cut == 100_000 || cut == 2_000_000) {
                assertTrue(message.matches(".* ends after \\d+ of " + BUNDLED_PIXELS
                        + " pixel bytes \\(its gzip stream is cut short\\)\\."), message);
            }
        }
    }

    @Test
    void lyingCountIsRefusedWithoutABigAllocation() throws IOException {
        byte[] oneImage = Arrays.copyOfRange(bundledImages, 16, 16 + 784);
        byte[] huge = imageFile(IdxReader.IMAGE_MAGIC, 1 << 30, 28, 28, oneImage);
        byte[] large = imageFile(IdxReader.IMAGE_MAGIC, 2_000_000, 28, 28, oneImage);
        Path raw = write("huge-images-idx3-ubyte", huge);
        Path gz = write("huge-images-idx3-ubyte.gz", gzip(huge));
        Path rawLarge = write("large-images-idx3-ubyte", large);
        Path gzLarge = write("large-images-idx3-ubyte.gz", gzip(large));

        for (Path file : new Path[] {raw, gz}) {
            String message = refusedCheaply(file).getMessage();
            assertTrue(message.startsWith(file + " declares 1073741824 images of 28x28"),
                    message);
        }
        for (Path file : new Path[] {rawLarge, gzLarge}) {
            assertEquals(file + " ends after 784 of 1568000000 pixel bytes.",
                    refusedCheaply(file).getMessage());
        }

        // a label file lying about its count is caught by the count of images
        Path images = write("one-images-idx3-ubyte", imageFile(IdxReader.IMAGE_MAGIC, 1, 28,
                28, oneImage));
        Path labels = write("one-labels-idx1-ubyte.gz",
                gzip(labelFile(IdxReader.LABEL_MAGIC, 1 << 30, new byte[] {9})));
        BadInputException e = assertBad(() -> IdxReader.read(images, labels), labels);
        assertEquals(labels + " holds 1073741824 labels, but " + images + " holds 1 images.",
                e.getMessage());
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        Path gz = write("t10k-images-idx3-ubyte.gz",
                gzip(imageFile(0x12345678, SMALL_COUNT, 9, 7, new byte[SMALL_COUNT * 63])));
        assertEquals(gz + " is not an IDX image file (magic 0x12345678, expected 0x00000803).",
                assertBad(() -> read(gz), gz).getMessage());

        Path labelsAsImages = write("labels-as-images", smallLabels);
        assertEquals(labelsAsImages + " is not an IDX image file (magic 0x00000801, expected"
                + " 0x00000803).", assertBad(() -> read(labelsAsImages), labelsAsImages)
                .getMessage());

        Path images = write("a-images-idx3-ubyte", smallImages);
        Path imagesAsLabels = write("images-as-labels", smallImages);
        assertEquals(imagesAsLabels + " is not an IDX label file (magic 0x00000803, expected"
                + " 0x00000801).", assertBad(() -> IdxReader.read(images, imagesAsLabels),
                imagesAsLabels).getMessage());

        Path text = write("notes-images-idx3.txt",
                "just some text, long enough".getBytes(StandardCharsets.US_ASCII));
        assertBad(() -> read(text), text);
    }

    @Test
    void badDimensionsAreRefused() throws IOException {
        int[][] shapes = {{SMALL_COUNT, 0, 7}, {SMALL_COUNT, 9, -3}, {SMALL_COUNT, 65537, 1},
            {0, 9, 7}, {-1, 9, 7}};
        for (int[] shape : shapes) {
            Path file = write("bad-images-idx3-ubyte",
                    imageFile(IdxReader.IMAGE_MAGIC, shape[0], shape[1], shape[2], new byte[63]));
            String message = assertBad(() -> read(file), file).getMessage();
            assertTrue(message.contains(" declares "), message);
        }
    }

    @Test
    void labelCountMismatchIsRefused() throws IOException {
        Path images = write("a-images-idx3-ubyte", smallImages);
        Path labels = write("a-labels-idx1-ubyte",
                labelFile(IdxReader.LABEL_MAGIC, SMALL_COUNT - 1, new byte[SMALL_COUNT - 1]));

        BadInputException e = assertBad(() -> IdxReader.read(images, labels), labels);

        assertEquals(labels + " holds 19 labels, but " + images + " holds 20 images.",
                e.getMessage());
    }

    @Test
    void trailingDataIsRefused() throws IOException {
        byte[] longer = Arrays.copyOf(smallImages, smallImages.length + 3);
        Path raw = write("a-images-idx3-ubyte", longer);
        Path gz = write("a-images-idx3-ubyte.gz", gzip(longer));

        assertEquals(raw + " has 3 bytes after the 1260 pixel bytes its header declares.",
                assertBad(() -> read(raw), raw).getMessage());
        assertEquals(gz + " has 3 bytes after the 1260 pixel bytes its header declares.",
                assertBad(() -> read(gz), gz).getMessage());
    }

    @Test
    void corruptGzipIsRefused() throws IOException {
        // random pixels are stored, not deflated: only the CRC can catch a changed byte
        byte[] stored = gzip(smallImages);
        stored[stored.length / 2] ^= 0x55;
        Path crc = write("crc-images-idx3-ubyte.gz", stored);
        assertBad(() -> read(crc), crc);

        byte[] deflated = gzip(Arrays.copyOf(bundledImages, 16 + 200 * 784));
        for (int at = 20; at < deflated.length - 8; at += deflated.length / 17) {
            byte[] corrupt = deflated.clone();
            corrupt[at] ^= (byte) 0xA5;
            Path file = write("corrupt-images-idx3-ubyte.gz", corrupt);
            assertBad(() -> read(file), file);
        }

        Path notGzip = write("magic-only-images-idx3-ubyte.gz",
                new byte[] {0x1f, (byte) 0x8b, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
        assertTrue(assertBad(() -> read(notGzip), notGzip).getMessage().contains("gzip"));
    }

    @Test
    void readingPrintsNothing() throws IOException {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Path bad = write("a-images-idx3-ubyte", Arrays.copyOf(smallImages, 40));
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertNotNull(IdxReader.readBundled());
            assertBad(() -> read(bad), bad);
        } finally {
            System.setOut(stdout);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }

    /** Refusal of {@code file}, checked to take under a second and to allocate little. */
    private static BadInputException refusedCheaply(Path file) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.ThreadMXBean counting =
                threads instanceof com.sun.management.ThreadMXBean
                        ? (com.sun.management.ThreadMXBean) threads : null;
        long threadId = Thread.currentThread().getId();
        long before = counting == null ? 0 : counting.getThreadAllocatedBytes(threadId);

        // assertTimeout runs the read on this thread, so its allocations are counted
        BadInputException e = assertTimeout(Duration.ofSeconds(1),
                () -> assertBad(() -> read(file), file));

        long allocated = counting == null ? 0
                : counting.getThreadAllocatedBytes(threadId) - before;
        assertTrue(allocated < 16L << 20, allocated + " bytes allocated reading " + file);
        return e;
    }

    /** The refusal of {@code call}, checked to be one sentence naming {@code file}. */
    private static BadInputException assertBad(Executable call, Path file) {
        BadInputException e = assertThrows(BadInputException.class, call);
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.endsWith("."), message);
        assertFalse(message.contains("\n"), message);
        return e;
    }

    /** Every length short of {@code length} near either end, and every 7th between. */
    private static int[] cuts(int length) {
        return IntStream.range(0, length)
                .filter(cut -> cut < 40 || cut >= length - 40 || cut % 7 == 0)
                .toArray();
    }

    private static ImageSet read(Path images) {
        return IdxReader.read(images, null);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static double imageSum(ImageSet set, int image) {
        double sum = 0;
        int size = set.height() * set.width();
        for (int k = 0; k < size; k++) {
            sum += set.pixels()[set.offset(image) + k];
        }
        return sum;
    }

    private static int[] labels(ImageSet set) {
        int[] labels = new int[set.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = set.label(i);
        }
        return labels;
    }

    private static byte[] imageFile(int magic, int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length).putInt(magic).putInt(count).putInt(rows)
                .putInt(cols).put(pixels).array();
    }

    private static byte[] labelFile(int magic, int count, byte[] labels) {
        return ByteBuffer.allocate(8 + labels.length).putInt(magic).putInt(count).put(labels)
                .array();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = IdxReaderTest.class.getResourceAsStream(BUNDLED + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
