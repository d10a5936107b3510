package org.rjepa.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.rjepa.io.BadInputException;

/**
 * The image sources by name, and which one a path is.
 *
 * <p>Detection, in this order: a file whose name contains "idx3" is an IDX image file; a file
 * ending in .bin is a CIFAR-10 batch; a folder holding an IDX image file (a name with both
 * "images" and "idx3") is an IDX folder; a folder holding a .bin file is a CIFAR-10 folder;
 * any other folder is a folder of images. Hidden files are not looked at.
 */
public final class ImageSources {
    /** The names {@code --data-format} takes. */
    public static final List<String> FORMATS = List.of("idx", "cifar10", "images");

    private ImageSources() {
    }

    /**
     * Reads {@code path} as {@code format}, or as the kind detected when {@code format} is
     * null or "auto"; with {@code options.imageSize()} set, every image ends up S x S.
     */
    public static ImageSet read(Path path, String format, ReadOptions options) {
        ImageSource source = byName(format == null || "auto".equals(format) ? detect(path)
                : format);
        ImageSet set = source.read(path, options);
        return options.imageSize() > 0 ? toSquare(set, options.imageSize()) : set;
    }

    /** The source of a format name. */
    public static ImageSource byName(String format) {
        switch (format) {
            case "idx":
                return new IdxSource();
            case "cifar10":
                return new Cifar10Reader();
            case "images":
                return new ImageFolderReader();
            default:
                throw new BadInputException("unknown --data-format '" + format + "'; expected "
                        + "one of auto, " + String.join(", ", FORMATS) + ".");
        }
    }

    /** idx, cifar10 or images, by the rules of the class comment. */
    public static String detect(Path path) {
        if (!Files.exists(path)) {
            throw new BadInputException(path + " does not exist.");
        }
        if (!Files.isDirectory(path)) {
            String name = path.getFileName().toString();
            if (name.contains("idx3")) {
                return "idx";
            }
            if (name.endsWith(".bin")) {
                return "cifar10";
            }
            throw new BadInputException(path + " is a file, but neither an IDX image file"
                    + " (a name with \"idx3\") nor a CIFAR-10 batch (.bin); --data takes those"
                    + " or a folder.");
        }
        try (Stream<Path> entries = Files.list(path)) {
            List<String> names = entries.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).toList();
            if (names.stream().anyMatch(n -> n.contains("images") && n.contains("idx3"))) {
                return "idx";
            }
            if (names.stream().anyMatch(n -> n.endsWith(".bin"))) {
                return "cifar10";
            }
            return "images";
        } catch (IOException e) {
            throw new BadInputException(path + " could not be listed (" + e.getMessage()
                    + ").", e);
        }
    }

    /** Every image of {@code set} scaled and centre-cropped to side x side. */
    public static ImageSet toSquare(ImageSet set, int side) {
        if (set.height() == side && set.width() == side) {
            return set;
        }
        long size = (long) side * side * set.channels();
        if (size * set.count() > Integer.MAX_VALUE - 8) {
            throw new BadInputException(set.source() + " at --image-size " + side + " would "
                    + "hold more values than one image set can hold.");
        }
        float[] out = new float[(int) (size * set.count())];
        for (int i = 0; i < set.count(); i++) {
            Resample.toSquare(set.pixels(), set.offset(i), set.height(), set.width(),
                    set.channels(), side, out, (int) (i * size));
        }
        int[] labels = null;
        if (set.hasLabels()) {
            labels = new int[set.count()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = set.label(i);
            }
        }
        return new ImageSet(out, labels, set.count(), side, side, set.channels(),
                set.source());
    }

    /** MNIST-format IDX files: a folder of them, or one image file without labels. */
    private static final class IdxSource implements ImageSource {
        @Override
        public String format() {
            return "idx";
        }

        @Override
        public ImageSet read(Path path, ReadOptions options) {
            return Files.isDirectory(path) ? IdxReader.readFolder(path)
                    : IdxReader.read(path, null);
        }
    }
}
