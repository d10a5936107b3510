package org.rjepa.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.rjepa.io.BadInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a folder of image files (PNG, JPEG, GIF, BMP, TIFF: what the JDK's ImageIO decodes)
 * into one fixed-size set.
 *
 * <p>Which files: every regular, not hidden file under the folder whose name ends in .png,
 * .jpg, .jpeg, .gif, .bmp, .tif or .tiff (any case), sorted by path; other files are ignored.
 * Only the first image of a multi-image file (an animated GIF, a multi-page TIFF) is read.
 *
 * <p>Labels: when every image lies in a subfolder of the folder, the sorted names of those
 * subfolders are the classes 0 to K-1 (an image deeper down takes the name of its top
 * subfolder); otherwise the set has no labels.
 *
 * <p>Values: each sample becomes {@code v / (2^bits - 1)} (8-bit by 255, 16-bit by 65535);
 * a palette is expanded; float samples are taken as they are and must be finite. Alpha is
 * composited over black (each colour value multiplied by the opacity). The set is RGB when
 * any image has colour (a grey image's value is then copied to the three channels), grey
 * otherwise; a palette counts as colour only when one of its entries is not grey.
 *
 * <p>Size: with {@code imageSize} S each image is scaled so that its shorter side is S
 * (area-averaging when shrinking, bilinear when growing) and its centre S x S is kept. Without
 * it, images that all share one size are kept as they are, and images of different sizes are
 * brought the same way to S = the smallest shorter side among them, with a notice.
 *
 * <p>Every header is read before any pixel: a size beyond {@value #MAX_IMAGE_PIXELS} pixels,
 * or more pixels than a file of its length can hold ({@value #PIXELS_PER_BYTE} per byte), is
 * refused before the image is decoded, and the whole set's size is checked before its array
 * is allocated. A count inside a file that makes the JDK's decoder ask for an array beyond
 * the heap (its TIFF reader trusts its tag counts) is refused as a damaged image too.
 */
public final class ImageFolderReader implements ImageSource {
    /** File name endings read as images, lower case. */
    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp", "tif",
            "tiff");
    /** Most pixels one image may declare (an 8192 x 8192 photograph). */
    static final long MAX_IMAGE_PIXELS = 1L << 26;
    /**
     * Most pixels per byte of file a header may declare: far above what deflate, LZW or JPEG
     * reach on real images, far below what a header that lies about its size claims.
     */
    static final long PIXELS_PER_BYTE = 4096;
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderReader.class);

    @Override
    public String format() {
        return "images";
    }

    @Override
    public ImageSet read(Path dir, ReadOptions options) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + (Files.exists(dir) ? " is not a folder."
                    : " does not exist."));
        }
        List<Path> files = imageFiles(dir);
        if (files.isEmpty()) {
            throw new BadInputException(dir + " holds no image files (none of its files ends"
                    + " in ." + String.join(", .", new java.util.TreeSet<>(EXTENSIONS)) + ").");
        }

        // pass 1: headers only, to fix the set's size and channels before any pixel
        List<Header> headers = new ArrayList<>();
        for (Path file : files) {
            try {
                Header header = header(file);
                checkSide(header, options);
                headers.add(header);
            } catch (BadInputException e) {
                skipOrThrow(e, options);
            }
        }
        if (headers.isEmpty()) {
            throw new BadInputException("every image of " + dir + " is bad (" + files.size()
                    + " skipped); there is nothing to train on.");
        }
        int side = options.imageSize();
        boolean sameSize = headers.stream().allMatch(h -> h.height == headers.get(0).height
                && h.width == headers.get(0).width);
        int height = headers.get(0).height;
        int width = headers.get(0).width;
        if (side == 0 && !sameSize) {
            side = headers.stream().mapToInt(h -> Math.min(h.height, h.width)).min().getAsInt();
            notice(options, "the images of " + dir + " differ in size; each is scaled so that"
                    + " its shorter side is " + side + " pixels (the smallest) and cropped to "
                    + side + "x" + side + " (set --image-size to choose).");
        }
        if (side > 0) {
            height = side;
            width = side;
        }
        int channels = headers.stream().anyMatch(h -> h.colour) ? 3 : 1;
        long size = (long) height * width * channels;
        if (size * headers.size() > MAX_VALUES) {
            throw new BadInputException(dir + " holds " + headers.size() + " images of "
                    + height + "x" + width + "x" + channels + ", more values than one image"
                    + " set can hold; set a smaller --image-size.");
        }

        // pass 2: decode each image into its place
        List<String> classes = classes(dir, headers);
        float[] pixels = new float[(int) (size * headers.size())];
        int[] labels = classes == null ? null : new int[headers.size()];
        int count = 0;
        for (Header header : headers) {
            try {
                decodeInto(header, channels, side, pixels, (int) (count * size));
            } catch (BadInputException e) {
                skipOrThrow(e, options);
                continue;
            }
            if (labels != null) {
                labels[count] = classes.indexOf(topFolder(dir, header.file));
            }
            count++;
        }
        int skipped = files.size() - count;
        if (skipped > 0) {
            notice(options, "skipped " + skipped + " of " + files.size() + " images of " + dir
                    + " as bad.");
        }
        if (count == 0) {
            throw new BadInputException("every image of " + dir + " is bad (" + files.size()
                    + " skipped); there is nothing to train on.");
        }
        if (count < headers.size()) {
            pixels = java.util.Arrays.copyOf(pixels, (int) (count * size));
            labels = labels == null ? null : java.util.Arrays.copyOf(labels, count);
        }
        ImageSet set = new ImageSet(pixels, labels, count, height, width, channels,
                dir.toString());
        LOG.info("Read {}{}", set, classes == null ? "" : " in classes " + classes);
        return set;
    }

    /** Image files under {@code dir}, sorted by path. */
    private static List<Path> imageFiles(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(f -> !f.equals(dir) && !hiddenBelow(dir, f))
                    .filter(f -> !Files.isDirectory(f) && EXTENSIONS.contains(extension(f)))
                    .sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException(dir + " could not be listed (" + e.getMessage()
                    + ").", e);
        }
    }

    private static boolean hiddenBelow(Path dir, Path file) {
        for (Path part : dir.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Sorted class names when every image lies in a subfolder, else null. */
    private static List<String> classes(Path dir, List<Header> headers) {
        TreeMap<String, Boolean> names = new TreeMap<>();
        for (Header h : headers) {
            String top = topFolder(dir, h.file);
            if (top == null) {
                return null;
            }
            names.put(top, true);
        }
        return new ArrayList<>(names.keySet());
    }

    private static String topFolder(Path dir, Path file) {
        Path relative = dir.relativize(file);
        return relative.getNameCount() < 2 ? null : relative.getName(0).toString();
    }

    private static void checkSide(Header header, ReadOptions options) {
        int shorter = Math.min(header.height, header.width);
        if (options.imageSize() == 0 && shorter < options.minSide()) {
            throw new BadInputException(header.file + " is " + header.width + "x"
                    + header.height + " pixels, smaller than the " + options.minSide()
                    + "-pixel patch; scale it with --image-size"
                    + (options.skipBad() ? "" : " or leave it out with --skip-bad") + ".");
        }
    }

    private static void skipOrThrow(BadInputException e, ReadOptions options) {
        if (!options.skipBad()) {
            throw e;
        }
        notice(options, "skipping a bad image: " + e.getMessage());
    }

    private static void notice(ReadOptions options, String sentence) {
        LOG.info(sentence);
        options.notices().accept(sentence);
    }

    /** What a file's header says, read without decoding its pixels. */
    private record Header(Path file, int width, int height, boolean colour) {
    }

    static Header header(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + " cannot be read (it is a link to nothing or not"
                    + " a regular file).");
        }
        if (!Files.isReadable(file)) {
            throw new BadInputException(file + " cannot be read (permission denied).");
        }
        return withReader(file, reader -> {
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkDeclaredSize(file, width, height);
            Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
            ColorModel model = types.hasNext() ? types.next().getColorModel() : null;
            return new Header(file, width, height, model == null || colour(file, model));
        });
    }

    private static void checkDeclaredSize(Path file, int width, int height) throws IOException {
        long pixels = (long) width * height;
        long bytes = Files.size(file);
        if (width < 1 || height < 1 || pixels > MAX_IMAGE_PIXELS
                || pixels > PIXELS_PER_BYTE * bytes) {
            throw new BadInputException(file + " declares an image of " + width + "x" + height
                    + " pixels in " + bytes + " bytes, which cannot be true (a damaged header)"
                    + " or is beyond the " + MAX_IMAGE_PIXELS + " pixels an image may have.");
        }
    }

    /** Whether a colour model has colour: three components, or a palette with a non-grey. */
    private static boolean colour(Path file, ColorModel model) {
        if (model instanceof IndexColorModel palette) {
            for (int i = 0; i < palette.getMapSize(); i++) {
                if (palette.getRed(i) != palette.getGreen(i)
                        || palette.getRed(i) != palette.getBlue(i)) {
                    return true;
                }
            }
            return false;
        }
        int components = model.getNumColorComponents();
        if (components != 1 && components != 3) {
            throw new BadInputException(file + " has " + components + " colour components "
                    + "(" + colourSpace(model) + "); only grey and RGB images are read.");
        }
        return components == 3;
    }

    private static String colourSpace(ColorModel model) {
        return model.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_CMYK ? "CMYK"
                : "colour space type " + model.getColorSpace().getType();
    }

    /** Decodes {@code header.file} into {@code out} at {@code at}: side x side, or as is. */
    private static void decodeInto(Header header, int channels, int side, float[] out, int at) {
        BufferedImage image = withReader(header.file, reader -> reader.read(0));
        if (image.getWidth() != header.width || image.getHeight() != header.height) {
            throw new BadInputException(header.file + " decodes to " + image.getWidth() + "x"
                    + image.getHeight() + " pixels, but its header says " + header.width + "x"
                    + header.height + ".");
        }
        float[] values = toFloats(header.file, image, channels);
        if (side == 0) {
            System.arraycopy(values, 0, out, at, values.length);
        } else {
            Resample.toSquare(values, 0, header.height, header.width, channels, side, out, at);
        }
    }

    /** The image's values in [0, 1] (floats as they are), height x width x channels. */
    private static float[] toFloats(Path file, BufferedImage image, int channels) {
        int h = image.getHeight();
        int w = image.getWidth();
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        float[] out = new float[h * w * channels];
        float[] rgb = new float[3];
        int[] bits = model.getComponentSize();
        boolean floats = raster.getDataBuffer().getDataType() == DataBuffer.TYPE_FLOAT
                || raster.getDataBuffer().getDataType() == DataBuffer.TYPE_DOUBLE;
        int colours = model instanceof IndexColorModel ? 3 : model.getNumColorComponents();
        if (colours != 1 && colours != 3) {
            throw new BadInputException(file + " has " + colours + " colour components ("
                    + colourSpace(model) + "); only grey and RGB images are read.");
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (model instanceof IndexColorModel palette) {
                    int entry = raster.getSample(x, y, 0);
                    float alpha = palette.getAlpha(entry) / 255f;
                    rgb[0] = palette.getRed(entry) / 255f * alpha;
                    rgb[1] = palette.getGreen(entry) / 255f * alpha;
                    rgb[2] = palette.getBlue(entry) / 255f * alpha;
                } else {
                    float alpha = 1;
                    if (model.hasAlpha() && !model.isAlphaPremultiplied()) {
                        alpha = sample(raster, x, y, colours, bits, floats);
                    }
                    for (int c = 0; c < colours; c++) {
                        rgb[c] = sample(raster, x, y, c, bits, floats) * alpha;
                    }
                    if (colours == 1) {
                        rgb[1] = rgb[0];
                        rgb[2] = rgb[0];
                    }
                }
                int o = (y * w + x) * channels;
                for (int c = 0; c < channels; c++) {
                    float v = channels == 1 ? rgb[0] : rgb[c];
                    if (!Float.isFinite(v)) {
                        throw new BadInputException(file + " holds a value that is "
                                + (Float.isNaN(v) ? "NaN" : "infinite") + " at row " + y
                                + ", column " + x + ".");
                    }
                    out[o + c] = v;
                }
            }
        }
        return out;
    }

    private static float sample(Raster raster, int x, int y, int band, int[] bits,
            boolean floats) {
        if (floats) {
            return raster.getSampleFloat(x, y, band);
        }
        int b = bits[Math.min(band, bits.length - 1)];
        double max = b >= 31 ? 0xFFFFFFFFL : (1L << b) - 1;
        return (float) ((raster.getSample(x, y, band) & 0xFFFFFFFFL) / max);
    }

    @FunctionalInterface
    private interface ReaderCall<T> {
        T apply(ImageReader reader) throws IOException;
    }

    /**
     * Runs {@code call} with a decoder of {@code file}, turning every way a decoder can fail
     * on a damaged file (an I/O error, or a runtime exception from its parser) into one
     * sentence naming the file.
     */
    private static <T> T withReader(Path file, ReaderCall<T> call) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new BadInputException(file + " cannot be opened.");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new BadInputException(file + " is not an image the JDK can decode (its "
                        + "first bytes match no PNG, JPEG, GIF, BMP or TIFF header).");
            }
            ImageReader reader = readers.next();
            // a decoder that meets the end of a truncated JPEG warns and fills the rest in
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            try {
                reader.setInput(in, true, true);
                T result = call.apply(reader);
                if (!warnings.isEmpty()) {
                    throw new BadInputException(file + " is a damaged or truncated image (its "
                            + "decoder warned: " + warnings.get(0).strip().replaceAll("\\.$", "")
                            + ").");
                }
                return result;
            } finally {
                reader.dispose();
            }
        } catch (BadInputException e) {
            throw e;
        } catch (AccessDeniedException e) {
            throw new BadInputException(file + " cannot be read (permission denied).", e);
        } catch (IOException e) {
            throw new BadInputException(file + " is a damaged or truncated image ("
                    + reason(e) + ").", e);
        } catch (RuntimeException e) {
            throw new BadInputException(file + " is a damaged image (its decoder failed: "
                    + reason(e) + ").", e);
        } catch (OutOfMemoryError e) {
            // the JDK's TIFF decoder sizes arrays from counts in the file before it checks
            // them against the file's length; such a request is one array far beyond the
            // heap, refused at once, so the heap is as it was and the read can be refused
            throw new BadInputException(file + " is a damaged image (a count in it asked the "
                    + "decoder for more memory than there is).", e);
        }
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return (m == null || m.isBlank() ? e.getClass().getSimpleName() : m.strip())
                .replaceAll("\\s+", " ").replaceAll("\\.$", "");
    }
}
