package org.rjepa.data;

/**
 * A set of equally sized images held as floats, with optional integer labels.
 *
 * <p>{@code pixels} is row-major, image by image, each image {@code height x width x channels}
 * (HWC): the value of channel {@code c} at row {@code y}, column {@code x} of image {@code i}
 * is {@code pixels[((i * height + y) * width + x) * channels + c]}. Readers store raw 8-bit
 * values as {@code v / 255}; {@link #standardised} then maps them to zero mean, unit variance.
 */
public final class ImageSet {
    private final float[] pixels;
    private final int[] labels;
    private final int count;
    private final int height;
    private final int width;
    private final int channels;
    private final String source;
    /** Index of each image in the set it was first read as, or null when it is that set. */
    private int[] origins;

    /**
     * @param pixels   count x height x width x channels values, kept (not copied)
     * @param labels   one label per image, or null when the source has none
     * @param source   what the images were read from, for messages
     */
    public ImageSet(float[] pixels, int[] labels, int count, int height, int width, int channels,
            String source) {
        if (count < 0 || height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("bad image shape " + count + " x " + height
                    + " x " + width + " x " + channels);
        }
        if ((long) count * height * width * channels != pixels.length) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " values, not "
                    + count + " x " + height + " x " + width + " x " + channels);
        }
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException(labels.length + " labels for " + count + " images");
        }
        this.pixels = pixels;
        this.labels = labels;
        this.count = count;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.source = source;
    }

    public int count() {
        return count;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int channels() {
        return channels;
    }

    public String source() {
        return source;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** The label of image {@code i}; only when {@link #hasLabels()}. */
    public int label(int i) {
        return labels[i];
    }

    /** The backing array (read-only by convention), laid out as the class javadoc says. */
    public float[] pixels() {
        return pixels;
    }

    /** Index of the first value of image {@code i} in {@link #pixels()}. */
    public int offset(int i) {
        return i * height * width * channels;
    }

    public float pixel(int i, int y, int x, int c) {
        return pixels[((i * height + y) * width + x) * channels + c];
    }

    /**
     * Index of image {@code i} in the set as it was read, before any {@link #subset}: how a
     * scanpath file or a user names an image.
     */
    public int sourceIndex(int i) {
        return origins == null ? i : origins[i];
    }

    /** The images at {@code indices}, in that order, copied. */
    public ImageSet subset(int[] indices) {
        int size = height * width * channels;
        float[] out = new float[indices.length * size];
        int[] outLabels = labels == null ? null : new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(pixels, offset(indices[j]), out, j * size, size);
            if (outLabels != null) {
                outLabels[j] = labels[indices[j]];
            }
        }
        ImageSet subset = new ImageSet(out, outLabels, indices.length, height, width,
                channels, source);
        subset.origins = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            subset.origins[j] = sourceIndex(indices[j]);
        }
        return subset;
    }

    /** A copy with every value mapped to {@code (v - mean) / std}. */
    public ImageSet standardised(double mean, double std) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((pixels[i] - mean) / std);
        }
        ImageSet copy = new ImageSet(out, labels == null ? null : labels.clone(), count, height,
                width, channels, source);
        copy.origins = origins;
        return copy;
    }

    /** Mean and standard deviation of all values, in double precision: {mean, std}. */
    public double[] meanAndStd() {
        double sum = 0;
        for (float v : pixels) {
            sum += v;
        }
        double mean = pixels.length == 0 ? 0 : sum / pixels.length;
        double squares = 0;
        for (float v : pixels) {
            squares += (v - mean) * (v - mean);
        }
        double std = pixels.length == 0 ? 1 : Math.sqrt(squares / pixels.length);
        return new double[] {mean, std};
    }

    @Override
    public String toString() {
        return count + " images " + height + "x" + width + "x" + channels + " from " + source
                + (labels == null ? "" : ", labelled");
    }
}
