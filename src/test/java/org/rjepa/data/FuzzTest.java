package org.rjepa.data;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.rjepa.io.BadInputException;
import org.rjepa.io.Checkpoint;

/**
 * Every reader on mutated files (bit flips, truncations, header edits, from a fixed seed):
 * each file is either read or refused with a {@link BadInputException} of one sentence, never
 * another exception, an error such as OutOfMemoryError, or a hang (a generous limit per file).
 */
class FuzzTest {
    private static final int CASES = 150;
    private static final Duration LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    static Stream<Arguments> readers() {
        return Stream.of(
                Arguments.of("png", ImageFiles.encode(ImageFiles.texture(16, 12,
                        BufferedImage.TYPE_INT_ARGB, 1), "png")),
                Arguments.of("jpg", ImageFiles.encode(ImageFiles.texture(16, 12,
                        BufferedImage.TYPE_3BYTE_BGR, 2), "jpg")),
                Arguments.of("gif", ImageFiles.encode(ImageFiles.texture(16, 12,
                        BufferedImage.TYPE_BYTE_INDEXED, 3), "gif")),
                Arguments.of("bmp", ImageFiles.encode(ImageFiles.texture(16, 12,
                        BufferedImage.TYPE_3BYTE_BGR, 4), "bmp")),
                Arguments.of("tiff", ImageFiles.encode(ImageFiles.texture(16, 12,
                        BufferedImage.TYPE_USHORT_GRAY, 5), "tiff")),
                Arguments.of("bin", ImageFiles.cifar(3, 6)),
                Arguments.of("idx3", idx()),
                Arguments.of("checkpoint", checkpoint()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readers")
    void mutatedFilesAreReadOrRefusedInOneSentence(String kind, byte[] original)
            throws IOException {
        Random random = new Random(kind.hashCode());
        Path folder = Files.createDirectory(dir.resolve("in"));
        String name = kind.equals("idx3") ? "x-images-idx3-ubyte" : "x." + kind;
        Path file = folder.resolve(name);
        Consumer<Path> read = reader(kind, folder);
        int refused = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] bytes = mutate(original, random, c);
            Files.write(file, bytes);
            String what = kind + " case " + c + " (" + bytes.length + " bytes)";
            try {
                assertTimeoutPreemptively(LIMIT, () -> read.accept(file), what);
            } catch (BadInputException e) {
                String m = e.getMessage();
                assertTrue(m != null && !m.contains("\n") && m.contains(file.toString()),
                        what + ": " + m);
                refused++;
            } catch (RuntimeException | Error e) {
                if (e instanceof org.opentest4j.AssertionFailedError failed
                        && failed.getMessage().contains("timed out")) {
                    throw failed;
                }
                throw new AssertionError(what + " threw " + e, e);
            }
        }
        assertTrue(refused > CASES / 4, kind + ": only " + refused + " of " + CASES
                + " mutated files refused; the mutations are too mild to test anything");
    }

    private static Consumer<Path> reader(String kind, Path folder) {
        switch (kind) {
            case "checkpoint":
                return Checkpoint::read;
            case "idx3":
                return f -> IdxReader.read(f, null);
            case "bin":
                return f -> new Cifar10Reader().read(f, ReadOptions.DEFAULT);
            default:
                return f -> new ImageFolderReader().read(folder, ReadOptions.DEFAULT);
        }
    }

    /** Case c: flips (c % 3 == 0), a cut (1), or a header word overwritten (2). */
    static byte[] mutate(byte[] original, Random random, int c) {
        byte[] b = original.clone();
        switch (c % 3) {
            case 0:
                for (int i = 1 + random.nextInt(8); i > 0; i--) {
                    int at = random.nextInt(b.length);
                    b[at] ^= (byte) (1 << random.nextInt(8));
                }
                return b;
            case 1:
                return Arrays.copyOf(b, random.nextInt(b.length));
            default:
                int at = random.nextInt(Math.min(b.length - 4, 48));
                int v = random.nextBoolean() ? random.nextInt() : random.nextInt(1 << 16);
                for (int k = 0; k < 4; k++) {
                    b[at + k] = (byte) (v >>> (24 - 8 * k));
                }
                return b;
        }
    }

    private static byte[] idx() {
        byte[] pixels = new byte[4 * 7 * 9];
        new Random(8).nextBytes(pixels);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(16 + pixels.length);
        buffer.putInt(IdxReader.IMAGE_MAGIC).putInt(4).putInt(7).putInt(9).put(pixels);
        return buffer.array();
    }

    private static byte[] checkpoint() {
        List<Checkpoint.Tensor> tensors = new ArrayList<>();
        tensors.add(new Checkpoint.Tensor("Wa", new int[] {3, 4}, new float[12]));
        tensors.add(new Checkpoint.Tensor("ba", new int[] {3}, new float[] {1, 2, 3}));
        try {
            Path tmp = Files.createTempFile("fuzz", ".bin");
            new Checkpoint("{\"engine\":\"rjepa\"}", 7, tensors).write(tmp);
            byte[] bytes = Files.readAllBytes(tmp);
            Files.delete(tmp);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
