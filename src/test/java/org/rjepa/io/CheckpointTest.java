package org.rjepa.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final String CONFIG = "{\"lr\": 0.001, \"name\": \"tiny \u00e9\u6f22\"}";

    @TempDir
    Path folder;

    /** Floats whose bits are easy to lose: signed zeros, subnormals, extremes, NaN, infinity. */
    private static final float[] AWKWARD = {
        0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Math.nextDown(Float.MIN_NORMAL), Float.MAX_VALUE, -Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0xffc00000), 1f / 3, (float) Math.PI,
    };

    /** A small checkpoint with every kind of shape: matrix, vector, scalar and empty. */
    private static Checkpoint small() {
        return new Checkpoint(CONFIG, 7, List.of(
                new Checkpoint.Tensor("w", new int[] {2, 3}, new float[] {1, -2, 3, -4, 5, -6}),
                new Checkpoint.Tensor("b", new int[] {3}, new float[] {0.5f, -0f, Float.NaN}),
                new Checkpoint.Tensor("s", new int[] {}, new float[] {42}),
                new Checkpoint.Tensor("e", new int[] {0, 4}, new float[0])));
    }

    private Path write(Checkpoint checkpoint, String name) {
        Path file = folder.resolve(name);
        checkpoint.write(file);
        return file;
    }

    private Path writeBytes(byte[] bytes, String name) throws IOException {
        Path file = folder.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static BadInputException refused(Path file) {
        BadInputException e = assertThrows(BadInputException.class, () -> Checkpoint.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            int e = Float.floatToRawIntBits(expected[i]);
            int a = Float.floatToRawIntBits(actual[i]);
            if (e != a) {
                fail(what + "[" + i + "]: expected bits " + Integer.toHexString(e) + " ("
                        + expected[i] + "), got " + Integer.toHexString(a) + " (" + actual[i]
                        + ")");
            }
        }
    }

    @Test
    void roundTripKeepsConfigStepNamesShapesAndEveryBit() {
        Random random = new Random(11);
        float[] noise = new float[1000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(noise[i])) {
                noise[i] = Float.NaN;
            }
        }
        float[] subnormals = new float[64];
        for (int i = 0; i < subnormals.length; i++) {
            subnormals[i] = Float.intBitsToFloat((i % 2 == 0 ? 0 : 0x80000000) | (i * 131071));
        }
        Checkpoint written = new Checkpoint(CONFIG, 123_456_789_012L, List.of(
                new Checkpoint.Tensor("model.encoder.w\u00e9", new int[] {2, 7}, AWKWARD),
                new Checkpoint.Tensor("noise", new int[] {10, 10, 10}, noise),
                new Checkpoint.Tensor("subnormals", new int[] {64}, subnormals),
                new Checkpoint.Tensor("scalar", new int[] {}, new float[] {-0f}),
                new Checkpoint.Tensor("empty", new int[] {3, 0, 5}, new float[0])));

        Checkpoint read = Checkpoint.read(write(written, "run.ckpt"));

        assertEquals(CONFIG, read.configJson());
        assertEquals(123_456_789_012L, read.step());
        assertEquals(written, read);
        assertEquals(written.tensors().size(), read.tensors().size());
        for (int i = 0; i < written.tensors().size(); i++) {
            Checkpoint.Tensor w = written.tensors().get(i);
            Checkpoint.Tensor r = read.tensors().get(i);
            assertEquals(w.name(), r.name());
            assertArrayEquals(w.shape(), r.shape(), w.name());
            assertBitsEqual(w.data(), r.data(), w.name());
        }
        assertTrue(read.has("noise"));
        assertFalse(read.has("nois"));
        assertBitsEqual(noise, read.tensor("noise").data(), "noise");
    }

    @Test
    void emptyTensorListRoundTrips() {
        Checkpoint written = new Checkpoint("{}", 0, List.of());
        Checkpoint read = Checkpoint.read(write(written, "empty.ckpt"));
        assertEquals("{}", read.configJson());
        assertEquals(0, read.step());
        assertTrue(read.tensors().isEmpty());
        BadInputException e = assertThrows(BadInputException.class, () -> read.tensor("w"));
        assertTrue(e.getMessage().contains("\"w\""), e.getMessage());
    }

    @Test
    void fileHoldsExactlyTheDocumentedBytes() throws IOException {
        Checkpoint checkpoint = new Checkpoint("{\"a\":1}", 5, List.of(
                new Checkpoint.Tensor("x", new int[] {1, 2}, new float[] {1.5f, -0f})));
        byte[] expected = new Bytes()
                .raw("RJEPACKP".getBytes(StandardCharsets.US_ASCII)).i32(1).i64(5)
                .text("{\"a\":1}").i32(1)
                .text("x").i32(2).i32(1).i32(2).f32(1.5f).f32(-0f)
                .withCrc();

        assertArrayEquals(expected, Files.readAllBytes(write(checkpoint, "layout.ckpt")));
    }

    @Test
    void missingArrayIsNamedWithTheFileAndTheArraysItHas() {
        Path file = write(small(), "small.ckpt");
        Checkpoint read = Checkpoint.read(file);
        BadInputException e = assertThrows(BadInputException.class, () -> read.tensor("gate"));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("\"gate\""), e.getMessage());
        assertTrue(e.getMessage().contains("w, b, s, e"), e.getMessage());
    }

    @Test
    void everyCorruptedByteIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(write(small(), "good.ckpt"));
        Random random = new Random(2024);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int at = 0; at < good.length; at++) {
                int[] masks = {0xff, 1 << random.nextInt(8), 1 + random.nextInt(255)};
                for (int mask : masks) {
                    byte[] bad = good.clone();
                    bad[at] ^= (byte) mask;
                    refused(writeBytes(bad, "bad.ckpt"));
                }
            }
        });
    }

    @Test
    void randomMultiByteDamageIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(write(small(), "good.ckpt"));
        Random random = new Random(77);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int trial = 0; trial < 2000; trial++) {
                byte[] bad = good.clone();
                int changes = 2 + random.nextInt(6);
                for (int c = 0; c < changes; c++) {
                    bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
                }
                if (!Arrays.equals(bad, good)) {
                    refused(writeBytes(bad, "bad.ckpt"));
                }
            }
        });
    }

    @Test
    void checksumMismatchIsReportedAsCorruption() throws IOException {
        byte[] bytes = Files.readAllBytes(write(small(), "good.ckpt"));
        // The low byte of the last value of "w": header, config, count, then "w" before it.
        int config = CONFIG.getBytes(StandardCharsets.UTF_8).length;
        int at = 8 + 4 + 8 + (4 + config) + 4 + (4 + 1 + 4 + 2 * 4) + 5 * 4;
        assertEquals(-6f, ByteBuffer.wrap(bytes, at, 4).order(ByteOrder.LITTLE_ENDIAN)
                .getFloat());
        bytes[at] ^= 0x01;
        BadInputException e = refused(writeBytes(bytes, "flipped.ckpt"));
        assertTrue(e.getMessage().endsWith("is corrupted: checksum mismatch"), e.getMessage());
    }

    @Test
    void everyTruncationIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(write(small(), "good.ckpt"));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int length = 0; length < good.length; length++) {
                refused(writeBytes(Arrays.copyOf(good, length), "cut.ckpt"));
            }
        });
        assertTrue(refused(writeBytes(new byte[0], "zero.ckpt")).getMessage()
                .contains("is empty"));
    }

    @Test
    void trailingBytesAreRefused() throws IOException {
        byte[] good = Files.readAllBytes(write(small(), "good.ckpt"));
        refused(writeBytes(Arrays.copyOf(good, good.length + 3), "long.ckpt"));
    }

    @Test
    void lyingLengthFieldsAreRefusedWithoutAllocating() throws IOException {
        int huge = 1 << 30;
        // The first two fit in the test heap, so a missing check fails the size assertion
        // below instead of ending the test run with an OutOfMemoryError.
        List<byte[]> liars = List.of(
                header().i32(1 << 25).withCrc(),
                header().text("{}").i32(1).text("w").i32(1).i32(1 << 24).withCrc(),
                header().i32(huge).withCrc(),
                header().i32(Integer.MAX_VALUE).withCrc(),
                header().text("{}").i32(huge).withCrc(),
                header().text("{}").i32(1).i32(huge).withCrc(),
                header().text("{}").i32(1).text("w").i32(huge).withCrc(),
                header().text("{}").i32(1).text("w").i32(1).i32(huge).withCrc(),
                header().text("{}").i32(1).text("w").i32(2).i32(huge).i32(huge).withCrc(),
                header().text("{}").i32(1).text("w").i32(3).i32(huge).i32(huge).i32(8)
                        .f32(1).withCrc(),
                header().text("{}").i32(1).text("w").i32(2).i32(Integer.MAX_VALUE)
                        .i32(Integer.MAX_VALUE).withCrc());
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        // Load and initialise every class a refusal uses, so that only the reads are measured.
        Checkpoint.read(write(small(), "warm.ckpt"));
        refused(writeBytes(header().i32(-1).withCrc(), "warm-refused.ckpt"));
        for (int i = 0; i < liars.size(); i++) {
            Path file = writeBytes(liars.get(i), "liar" + i + ".ckpt");
            long before = threads.getThreadAllocatedBytes(thread);
            BadInputException e = refused(file);
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < (4 << 20), "liar " + i + " allocated " + allocated
                    + " bytes to refuse it: " + e.getMessage());
            assertTrue(e.getMessage().contains("remain"), e.getMessage());
        }
    }

    @Test
    void negativeLengthsAndDimensionsAreRefused() throws IOException {
        BadInputException dim = refused(writeBytes(header().text("{}").i32(1).text("w")
                .i32(2).i32(3).i32(-2).withCrc(), "dim.ckpt"));
        assertTrue(dim.getMessage().contains("negative dimension -2"), dim.getMessage());
        refused(writeBytes(header().i32(-1).withCrc(), "config.ckpt"));
        refused(writeBytes(header().text("{}").i32(-5).withCrc(), "count.ckpt"));
        refused(writeBytes(header().text("{}").i32(1).i32(-1).withCrc(), "name.ckpt"));
        refused(writeBytes(header().text("{}").i32(1).text("w").i32(-1).withCrc(), "rank.ckpt"));
        refused(writeBytes(header(-1).text("{}").i32(0).withCrc(), "step.ckpt"));
    }

    @Test
    void badConfigAndNamesAreRefusedEvenWithAGoodChecksum() throws IOException {
        byte[] latin1 = "{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        BadInputException utf8 = refused(writeBytes(header().i32(latin1.length).raw(latin1)
                .i32(0).withCrc(), "latin1.ckpt"));
        assertTrue(utf8.getMessage().contains("UTF-8"), utf8.getMessage());
        for (String config : new String[] {"[1, 2]", "{\"a\": ", "{} {}", "", "null", "3"}) {
            BadInputException e = refused(writeBytes(header().text(config).i32(0).withCrc(),
                    "json.ckpt"));
            assertTrue(e.getMessage().contains("config"), e.getMessage());
        }
        refused(writeBytes(header().text("{}").i32(1).i32(0).i32(0).f32(1).withCrc(),
                "noname.ckpt"));
        refused(writeBytes(header().text("{}").i32(2).text("w").i32(0).f32(1)
                .text("w").i32(0).f32(2).withCrc(), "twice.ckpt"));
        refused(writeBytes(header().text("{}").i32(1).i32(1).raw(new byte[] {(byte) 0xc3})
                .i32(0).f32(1).withCrc(), "badname.ckpt"));
    }

    @Test
    void badMagicIsRefused() throws IOException {
        byte[] good = Files.readAllBytes(write(small(), "good.ckpt"));
        byte[] bad = good.clone();
        bad[0] = 'X';
        BadInputException e = refused(writeBytes(bad, "magic.ckpt"));
        assertTrue(e.getMessage().contains("is not a checkpoint"), e.getMessage());
        refused(writeBytes("{\"not\": \"a checkpoint\"}\n".getBytes(StandardCharsets.UTF_8),
                "text.ckpt"));
        refused(writeBytes(new byte[] {'R', 'J', 'X'}, "short.ckpt"));
    }

    @Test
    void otherVersionsAreRefusedSayingWhichVersion() throws IOException {
        Bytes future = new Bytes().raw("RJEPACKP".getBytes(StandardCharsets.US_ASCII)).i32(2);
        BadInputException e = refused(writeBytes(future.toArray(), "future.ckpt"));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        assertTrue(e.getMessage().contains("newer"), e.getMessage());

        Bytes zero = new Bytes().raw("RJEPACKP".getBytes(StandardCharsets.US_ASCII)).i32(0)
                .i64(1).text("{}").i32(0);
        BadInputException old = refused(writeBytes(zero.withCrc(), "zero.ckpt"));
        assertTrue(old.getMessage().contains("version 0"), old.getMessage());
    }

    @Test
    void missingFileAndFolderAreRefused() {
        BadInputException missing = refused(folder.resolve("absent.ckpt"));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
        refused(folder);
    }

    @Test
    void overwritingLeavesOnlyTheNewFile() throws IOException {
        Path file = write(small(), "run.ckpt");
        Checkpoint newer = new Checkpoint("{\"lr\": 0.5}", 8, List.of(
                new Checkpoint.Tensor("w", new int[] {1}, new float[] {9})));

        newer.write(file);

        assertEquals(newer, Checkpoint.read(file));
        assertEquals(List.of(file), listFolder());
    }

    @Test
    void failedWriteLeavesTheOldFileIntactAndNoTemporaryFile() throws IOException {
        Path file = write(small(), "run.ckpt");
        byte[] before = Files.readAllBytes(file);
        Checkpoint newer = new Checkpoint("{}", 8, List.of(
                new Checkpoint.Tensor("w", new int[] {100_000}, new float[100_000])));

        // The disk "fills up" after 1000 bytes of the new file.
        BadInputException e = assertThrows(BadInputException.class,
                () -> newer.write(file, out -> new FailingAfter(out, 1000)));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(small(), Checkpoint.read(file));
        assertEquals(List.of(file), listFolder());
    }

    @Test
    void writingOntoAFolderFailsAndLeavesItAlone() throws IOException {
        Path target = Files.createDirectory(folder.resolve("run.ckpt"));
        Path inside = write(small(), "run.ckpt/inner.ckpt");

        BadInputException e = assertThrows(BadInputException.class, () -> small().write(target));

        assertTrue(e.getMessage().contains("folder"), e.getMessage());
        assertTrue(Files.isDirectory(target));
        assertEquals(small(), Checkpoint.read(inside));
        assertEquals(List.of(target), listFolder());
    }

    @Test
    void writingIntoAMissingFolderFails() {
        Path file = folder.resolve("absent/run.ckpt");
        BadInputException e = assertThrows(BadInputException.class, () -> small().write(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void invalidCheckpointsCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint.Tensor("w", new int[] {2, 3}, new float[5]));
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint.Tensor("w", new int[] {-1, -2}, new float[2]));
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint.Tensor("", new int[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint.Tensor("w\ud800", new int[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint.Tensor("w", new int[] {}, new float[0]));
        Checkpoint.Tensor w = new Checkpoint.Tensor("w", new int[] {1}, new float[1]);
        assertThrows(IllegalArgumentException.class,
                () -> new Checkpoint("{}", 0, List.of(w, w)));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint("{}", -1, List.of()));
        for (String config : new String[] {"[]", "{", "{} x", "", "\"{}\"", "{\"a\":\"\ud800\"}"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new Checkpoint(config, 0, List.of()), config);
        }
    }

    @Test
    void arraysAreCopiedInAndOut() {
        int[] shape = {2};
        float[] data = {1, 2};
        Checkpoint.Tensor t = new Checkpoint.Tensor("w", shape, data);
        shape[0] = 5;
        data[0] = 99;
        t.shape()[0] = 7;
        t.data()[1] = 77;
        assertArrayEquals(new int[] {2}, t.shape());
        assertArrayEquals(new float[] {1, 2}, t.data());
        assertEquals(2, t.size());
    }

    @Test
    void twentyMegabytesRoundTripQuickly() {
        float[] big = new float[5_000_000];
        Random random = new Random(5);
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) random.nextGaussian();
        }
        Checkpoint written = new Checkpoint(CONFIG, 99, List.of(
                new Checkpoint.Tensor("big", new int[] {5000, 1000}, big)));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Checkpoint read = Checkpoint.read(write(written, "big.ckpt"));
            assertBitsEqual(big, read.tensor("big").data(), "big");
        });
    }

    private List<Path> listFolder() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    /** Magic, version 1 and a step: the start every hand-made file below shares. */
    private static Bytes header() {
        return header(3);
    }

    private static Bytes header(long step) {
        return new Bytes().raw("RJEPACKP".getBytes(StandardCharsets.US_ASCII)).i32(1).i64(step);
    }

    /** Builds a file by hand, little-endian, as docs/checkpoint.md describes it. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        Bytes i32(int value) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value)
                    .array());
        }

        Bytes i64(long value) {
            return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value)
                    .array());
        }

        Bytes f32(float value) {
            return i32(Float.floatToRawIntBits(value));
        }

        /** An int32 byte count, then the UTF-8 bytes. */
        Bytes text(String value) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            return i32(bytes.length).raw(bytes);
        }

        byte[] toArray() {
            return out.toByteArray();
        }

        /** The bytes so far followed by their CRC-32 as a little-endian uint32. */
        byte[] withCrc() {
            CRC32 crc = new CRC32();
            crc.update(out.toByteArray());
            return i32((int) crc.getValue()).toArray();
        }
    }

    /** Passes bytes on until {@code limit} have gone, then fails like a full disk. */
    private static final class FailingAfter extends FilterOutputStream {
        private long left;

        FailingAfter(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                throw new IOException("disk full");
            }
            left -= len;
            out.write(b, off, len);
        }
    }
}
