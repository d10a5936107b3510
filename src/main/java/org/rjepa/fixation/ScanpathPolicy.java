package org.rjepa.fixation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.rjepa.data.ImageSet;
import org.rjepa.io.BadInputException;
import org.rjepa.io.IoErrors;

/**
 * Recorded scanpaths, as eye-tracking data comes: a CSV file of {@code image,order,x,y}
 * lines, where {@code image} is the image's index in the data set as read (0-based, before
 * the held-out split), {@code order} orders the fixations of one image, and {@code x, y} are
 * the column and row of the fixation centre in pixels, in {@code [0, width-1] x
 * [0, height-1]}. A first line that is not numeric is a header and skipped; blank lines and
 * lines starting with {@code #} are skipped.
 *
 * <p>A sequence of T fixations takes the image's first T fixations by order; when it has
 * fewer, the eye stays on the last one. The random stream is not used.
 */
public final class ScanpathPolicy implements FixationPolicy {
    private final Path file;
    /** Per image index: its fixations ordered, each {x, y}. */
    private final Map<Integer, double[][]> paths;

    private ScanpathPolicy(Path file, Map<Integer, double[][]> paths) {
        this.file = file;
        this.paths = paths;
    }

    /** Reads and checks a scanpath file; a malformed line is refused naming its number. */
    public static ScanpathPolicy read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("cannot read the scanpath file " + file + " ("
                    + IoErrors.reason(e) + ").");
        }
        Map<Integer, TreeMap<Double, double[]>> byImage = new TreeMap<>();
        boolean first = true;
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s*,\\s*");
            boolean header = first && fields.length > 0 && !looksNumeric(fields[0]);
            first = false;
            if (header) {
                continue;
            }
            double[] v = parse(file, number, line, fields);
            int image = (int) v[0];
            TreeMap<Double, double[]> path = byImage.computeIfAbsent(image,
                    k -> new TreeMap<>());
            if (path.put(v[1], new double[] {v[2], v[3]}) != null) {
                throw new BadInputException("scanpath file " + file + " line " + number
                        + " repeats order " + fields[1] + " for image " + image + ".");
            }
        }
        if (byImage.isEmpty()) {
            throw new BadInputException("scanpath file " + file + " holds no fixations.");
        }
        Map<Integer, double[][]> paths = new TreeMap<>();
        for (Map.Entry<Integer, TreeMap<Double, double[]>> e : byImage.entrySet()) {
            paths.put(e.getKey(), new ArrayList<>(e.getValue().values())
                    .toArray(new double[0][]));
        }
        return new ScanpathPolicy(file, paths);
    }

    private static boolean looksNumeric(String field) {
        try {
            Double.parseDouble(field);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static double[] parse(Path file, int number, String line, String[] fields) {
        String wrong = "scanpath file " + file + " line " + number + " is not "
                + "'image,order,x,y' with a whole image index >= 0 and finite numbers: '"
                + (line.length() > 60 ? line.substring(0, 60) + "..." : line) + "'.";
        if (fields.length != 4) {
            throw new BadInputException(wrong);
        }
        double[] v = new double[4];
        try {
            for (int i = 0; i < 4; i++) {
                v[i] = Double.parseDouble(fields[i]);
                if (!Double.isFinite(v[i])) {
                    throw new BadInputException(wrong);
                }
            }
        } catch (NumberFormatException e) {
            throw new BadInputException(wrong);
        }
        if (v[0] < 0 || v[0] != Math.rint(v[0]) || v[0] > Integer.MAX_VALUE) {
            throw new BadInputException(wrong);
        }
        return v;
    }

    /**
     * Refuses a file that names an image the data set does not have, or a fixation outside
     * the images.
     *
     * @param images the data set as read, before any split
     */
    @Override
    public void check(ImageSet images) {
        for (Map.Entry<Integer, double[][]> e : paths.entrySet()) {
            int image = e.getKey();
            if (image >= images.count()) {
                throw new BadInputException("scanpath file " + file + " names image " + image
                        + ", but " + images.source() + " has only " + images.count()
                        + " images (0 to " + (images.count() - 1) + ").");
            }
            checkPositions(image, e.getValue(), images);
        }
    }

    private void checkPositions(int image, double[][] path, ImageSet images) {
        for (double[] p : path) {
            if (p[0] < 0 || p[0] > images.width() - 1 || p[1] < 0
                    || p[1] > images.height() - 1) {
                throw new BadInputException("scanpath file " + file + " puts a fixation "
                        + "of image " + image + " at (" + p[0] + ", " + p[1] + "), outside "
                        + "the " + images.width() + "x" + images.height() + " image ("
                        + "x in [0, " + (images.width() - 1) + "], y in [0, "
                        + (images.height() - 1) + "]).");
            }
        }
    }

    /**
     * The images that the file gives fixations for, which must lie inside them; refuses a
     * file that covers none.
     */
    @Override
    public ImageSet looksAt(ImageSet images) {
        int[] covered = java.util.stream.IntStream.range(0, images.count())
                .filter(i -> paths.containsKey(images.sourceIndex(i))).toArray();
        if (covered.length == 0) {
            throw new BadInputException("scanpath file " + file + " gives fixations for none "
                    + "of the images of " + images.source() + ".");
        }
        for (int i : covered) {
            checkPositions(images.sourceIndex(i), paths.get(images.sourceIndex(i)), images);
        }
        return covered.length == images.count() ? images : images.subset(covered);
    }

    @Override
    public void centres(ImageSet images, int image, SplittableRandom random, double[] x,
            double[] y) {
        int index = images.sourceIndex(image);
        double[][] path = paths.get(index);
        if (path == null) {
            throw new BadInputException("scanpath file " + file + " has no fixations for "
                    + "image " + index + " of " + images.source() + ".");
        }
        for (int t = 0; t < x.length; t++) {
            double[] p = path[Math.min(t, path.length - 1)];
            x[t] = p[0];
            y[t] = p[1];
        }
    }

    /** The image indices the file covers, in increasing order. */
    public int[] images() {
        return paths.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String name() {
        return "scanpath:" + file;
    }
}
