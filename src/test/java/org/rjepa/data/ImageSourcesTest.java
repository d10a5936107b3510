package org.rjepa.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rjepa.io.BadInputException;

/** The three sources on files made here: values, sizes, channels, labels and refusals. */
class ImageSourcesTest {
    @TempDir
    Path dir;

    private final List<String> notices = new ArrayList<>();

    private ReadOptions options(int imageSize, int minSide, boolean skipBad) {
        return new ReadOptions(imageSize, minSide, skipBad, notices::add);
    }

    @Test
    void aFolderOfEqualGreyImagesIsKeptAsItIs() throws IOException {
        BufferedImage grey = ImageFiles.texture(12, 10, BufferedImage.TYPE_BYTE_GRAY, 1);
        ImageFiles.write(dir.resolve("a.png"), grey, "png");
        ImageFiles.write(dir.resolve("b.bmp"), grey, "bmp");
        ImageSet set = ImageSources.read(dir, null, options(0, 3, false));

        assertEquals(List.of(2, 10, 12, 1), List.of(set.count(), set.height(), set.width(),
                set.channels()));
        assertEquals(false, set.hasLabels());
        for (int i = 0; i < 2; i++) {
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 12; x++) {
                    assertEquals(grey.getRaster().getSample(x, y, 0) / 255f,
                            set.pixel(i, y, x, 0), "image " + i + " at " + y + "," + x);
                }
            }
        }
        assertTrue(notices.isEmpty(), notices.toString());
    }

    @Test
    void mixedFormatsSizesAndChannelsBecomeOneRgbSetWithLabelsFromFolders() throws IOException {
        ImageFiles.write(dir.resolve("cats/1.png"),
                ImageFiles.texture(40, 30, BufferedImage.TYPE_INT_ARGB, 2), "png");
        ImageFiles.write(dir.resolve("cats/2.jpg"),
                ImageFiles.texture(33, 50, BufferedImage.TYPE_3BYTE_BGR, 3), "jpg");
        ImageFiles.write(dir.resolve("dogs/3.gif"),
                ImageFiles.texture(24, 24, BufferedImage.TYPE_BYTE_INDEXED, 4), "gif");
        ImageFiles.write(dir.resolve("dogs/deep/4.tiff"),
                ImageFiles.texture(64, 48, BufferedImage.TYPE_USHORT_GRAY, 5), "tiff");
        ImageFiles.write(dir.resolve("apes/5.bmp"),
                ImageFiles.texture(26, 31, BufferedImage.TYPE_BYTE_GRAY, 6), "bmp");
        Files.writeString(dir.resolve("apes/notes.txt"), "not an image");
        ImageSet set = ImageSources.read(dir, "auto", options(0, 8, false));

        assertEquals(List.of(5, 24, 24, 3), List.of(set.count(), set.height(), set.width(),
                set.channels()));
        int[] labels = new int[5];
        for (int i = 0; i < 5; i++) {
            labels[i] = set.label(i);
        }
        assertEquals("[0, 1, 1, 2, 2]", Arrays.toString(labels), "apes, cats, dogs sorted");
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("shorter side is 24 pixels"), notices.get(0));
        for (float v : set.pixels()) {
            assertTrue(v >= 0 && v <= 1, "value " + v);
        }
        // the grey BMP (apes, image 0) has its value copied to the three channels
        assertEquals(set.pixel(0, 5, 7, 0), set.pixel(0, 5, 7, 2));
    }

    @Test
    void sixteenBitsScaleBy65535AndAlphaCompositesOverBlack() throws IOException {
        BufferedImage deep = new BufferedImage(9, 9, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(4, 4, 0, 65535 / 5);
        ImageFiles.write(dir.resolve("deep.png"), deep, "png");
        ImageSet set = ImageSources.read(dir, "images", options(0, 1, false));
        assertEquals((65535 / 5) / 65535f, set.pixel(0, 4, 4, 0), 1e-7f);

        Path other = Files.createDirectory(dir.resolve("alpha"));
        BufferedImage rgba = new BufferedImage(9, 9, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(1, 1, 0x80FF0000);
        rgba.setRGB(2, 2, 0x00FFFFFF);
        ImageFiles.write(other.resolve("a.png"), rgba, "png");
        ImageSet alpha = ImageSources.read(other, "images", options(0, 1, false));
        assertEquals(128 / 255f, alpha.pixel(0, 1, 1, 0), 1e-6f);
        assertEquals(0f, alpha.pixel(0, 2, 2, 1));
    }

    @Test
    void aGreyPaletteStaysGreyAndImageSizeScalesEveryImage() throws IOException {
        byte[] ramp = new byte[256];
        for (int i = 0; i < 256; i++) {
            ramp[i] = (byte) i;
        }
        BufferedImage indexed = new BufferedImage(20, 16, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, ramp, ramp, ramp));
        indexed.getRaster().setSample(3, 3, 0, 200);
        ImageFiles.write(dir.resolve("p.gif"), indexed, "gif");
        ImageSet set = ImageSources.read(dir, null, options(10, 8, false));
        assertEquals(List.of(1, 10, 10, 1), List.of(set.count(), set.height(), set.width(),
                set.channels()));
    }

    @Test
    void resamplingAConstantImageKeepsItsValueBothWays() {
        float[] src = new float[7 * 11];
        Arrays.fill(src, 0.25f);
        for (int side : new int[] {3, 7, 19}) {
            float[] out = new float[side * side];
            Resample.toSquare(src, 0, 7, 11, 1, side, out, 0);
            for (float v : out) {
                assertEquals(0.25f, v, 1e-6f, "side " + side);
            }
        }
    }

    @Test
    void cifarBatchesBecomeHwcWithTheirLabels() throws IOException {
        byte[] batch = ImageFiles.cifar(3, 9);
        Files.write(dir.resolve("data_batch_1.bin"), batch);
        Files.write(dir.resolve("test_batch.bin"), ImageFiles.cifar(2, 10));
        assertEquals("cifar10", ImageSources.detect(dir));
        ImageSet set = ImageSources.read(dir, null, options(0, 1, false));
        assertEquals(List.of(5, 32, 32, 3), List.of(set.count(), set.height(), set.width(),
                set.channels()));
        assertEquals(2, set.label(2));
        int record = 2 * Cifar10Reader.RECORD_BYTES;
        int p = 5 * 32 + 7;
        for (int c = 0; c < 3; c++) {
            assertEquals((batch[record + 1 + c * 1024 + p] & 0xFF) / 255f,
                    set.pixel(2, 5, 7, c));
        }
        assertEquals("cifar10", ImageSources.detect(dir.resolve("test_batch.bin")));
    }

    @Test
    void badInputIsRefusedInOneSentenceNamingTheFile() throws IOException {
        // empty folder
        assertBad(() -> ImageSources.read(dir, null, options(0, 1, false)), dir.toString(),
                "holds no image files");

        // truncated and corrupt images
        byte[] png = ImageFiles.encode(ImageFiles.texture(30, 30,
                BufferedImage.TYPE_3BYTE_BGR, 1), "png");
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        assertBad(() -> ImageSources.read(dir, null, options(0, 1, false)), cut.toString(),
                "damaged");
        Files.delete(cut);
        // a JPEG cut inside its image data: its decoder warns and would fill the rest in
        byte[] jpeg = ImageFiles.encode(ImageFiles.texture(64, 64,
                BufferedImage.TYPE_3BYTE_BGR, 4), "jpg");
        Path cutJpeg = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpeg,
                jpeg.length * 2 / 3));
        assertBad(() -> ImageSources.read(dir, null, options(0, 1, false)),
                cutJpeg.toString(), "truncated");
        Files.delete(cutJpeg);
        Path junk = Files.write(dir.resolve("junk.jpg"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertBad(() -> ImageSources.read(dir, null, options(0, 1, false)), junk.toString(),
                "not an image");
        Files.delete(junk);

        // a header that lies: 60000 x 60000 pixels in a few hundred bytes
        byte[] lying = png.clone();
        PngBytes.setSize(lying, 60000, 60000);
        Path liar = Files.write(dir.resolve("liar.png"), lying);
        assertBad(() -> ImageSources.read(dir, null, options(0, 1, false)), liar.toString(),
                "cannot be true");
        Files.delete(liar);

        // an unreadable file: tests run as root, so a link to nothing stands for it
        Path link = Files.createSymbolicLink(dir.resolve("gone.png"), dir.resolve("nowhere"));
        assertBad(() -> ImageSources.read(dir, null, options(0, 1, false)), link.toString(),
                "cannot be read");
        Files.delete(link);

        // an image smaller than the patch
        Path small = ImageFiles.write(dir.resolve("small.png"),
                ImageFiles.texture(5, 4, BufferedImage.TYPE_BYTE_GRAY, 2), "png");
        assertBad(() -> ImageSources.read(dir, null, options(0, 8, false)), small.toString(),
                "smaller than the 8-pixel patch");

        // skipped with --skip-bad: a notice each and a count
        ImageFiles.write(dir.resolve("ok.png"),
                ImageFiles.texture(9, 9, BufferedImage.TYPE_BYTE_GRAY, 3), "png");
        Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        ImageSet set = ImageSources.read(dir, null, options(0, 8, true));
        assertEquals(1, set.count());
        // two skips, the size chosen (from the headers, the cut one's included), the count
        assertEquals(4, notices.size(), notices.toString());
        assertTrue(notices.get(3).startsWith("skipped 2 of 3 images"), notices.get(3));

        // CIFAR-10: not whole records, a label beyond 9
        Path cifar = Files.createDirectory(dir.resolve("cifar"));
        Path bin = Files.write(cifar.resolve("data_batch_1.bin"), Arrays.copyOf(
                ImageFiles.cifar(2, 1), Cifar10Reader.RECORD_BYTES + 100));
        assertBad(() -> ImageSources.read(cifar, null, options(0, 1, false)), bin.toString(),
                "not a whole number");
        byte[] labelled = ImageFiles.cifar(2, 1);
        labelled[Cifar10Reader.RECORD_BYTES] = 17;
        Files.write(bin, labelled);
        assertBad(() -> ImageSources.read(cifar, null, options(0, 1, false)), bin.toString(),
                "has label 17 in record 1");
    }

    @Test
    void floatValuesThatAreNotFiniteAreRefused() throws IOException {
        java.awt.image.ColorModel model = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY),
                false, false, java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_FLOAT);
        java.awt.image.WritableRaster raster = model.createCompatibleWritableRaster(6, 6);
        raster.setSample(2, 3, 0, Float.NaN);
        BufferedImage image = new BufferedImage(model, raster, false, null);
        Path file = ImageFiles.write(dir.resolve("nan.tif"), image, "tiff");
        assertBad(() -> ImageSources.read(dir, null, options(0, 1, false)), file.toString(),
                "NaN at row 3, column 2");
    }

    static BadInputException assertBad(org.junit.jupiter.api.function.Executable call,
            String file, String part) {
        BadInputException e = assertThrows(BadInputException.class, call);
        String m = e.getMessage();
        assertTrue(m.contains(file) && m.contains(part), m);
        assertTrue(!m.contains("\n") && m.endsWith("."), "one sentence: " + m);
        return e;
    }
}
