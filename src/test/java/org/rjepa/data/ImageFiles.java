package org.rjepa.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Test images made here with ImageIO: smooth textures with noise, in each format. */
final class ImageFiles {
    private ImageFiles() {
    }

    /** A textured image of {@code type} (a BufferedImage.TYPE_*), w x h, from {@code seed}. */
    static BufferedImage texture(int w, int h, int type, long seed) {
        BufferedImage image = new BufferedImage(w, h, type);
        WritableRaster raster = image.getRaster();
        Random random = new Random(seed);
        double fx = 0.1 + random.nextDouble() * 0.5;
        double fy = 0.1 + random.nextDouble() * 0.5;
        int bands = raster.getNumBands();
        int max = (1 << image.getColorModel().getComponentSize(0)) - 1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int b = 0; b < bands; b++) {
                    double v = 0.5 + 0.3 * Math.sin(fx * x + b) * Math.cos(fy * y - b)
                            + 0.1 * random.nextGaussian();
                    raster.setSample(x, y, b, (int) Math.round(Math.max(0, Math.min(1, v))
                            * max));
                }
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer for " + image);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, BufferedImage image, String format) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, encode(image, format));
    }

    /** A CIFAR-10 batch of {@code count} records with labels {@code i % 10}, from a seed. */
    static byte[] cifar(int count, long seed) {
        byte[] bytes = new byte[count * Cifar10Reader.RECORD_BYTES];
        new Random(seed).nextBytes(bytes);
        for (int i = 0; i < count; i++) {
            bytes[i * Cifar10Reader.RECORD_BYTES] = (byte) (i % 10);
        }
        return bytes;
    }
}
