package org.rjepa.data;

/**
 * Scales an image so that its shorter side is S and crops the centre S x S: area-averaging
 * along an axis that shrinks, bilinear interpolation along one that grows (both axes share
 * one scale, so they do the same). Works on float HWC values, so that no colour space or
 * 8-bit rounding comes between the file and the set.
 */
final class Resample {
    private Resample() {
    }

    /**
     * @param src      h x w x channels values, read
     * @param out      S x S x channels values from {@code outAt}, overwritten
     */
    static void toSquare(float[] src, int srcAt, int h, int w, int channels, int side,
            float[] out, int outAt) {
        double scale = (double) side / Math.min(h, w);
        int scaledH = Math.max(side, (int) Math.round(h * scale));
        int scaledW = Math.max(side, (int) Math.round(w * scale));
        Weights rows = Weights.of(h, scale, (scaledH - side) / 2, side);
        Weights cols = Weights.of(w, scale, (scaledW - side) / 2, side);

        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                for (int c = 0; c < channels; c++) {
                    double sum = 0;
                    for (int i = rows.start[y]; i < rows.start[y + 1]; i++) {
                        double rowSum = 0;
                        int rowAt = srcAt + rows.index[i] * w * channels + c;
                        for (int j = cols.start[x]; j < cols.start[x + 1]; j++) {
                            rowSum += cols.weight[j] * src[rowAt + cols.index[j] * channels];
                        }
                        sum += rows.weight[i] * rowSum;
                    }
                    out[outAt + (y * side + x) * channels + c] = (float) sum;
                }
            }
        }
    }

    /** Per output index along one axis: source indices and weights summing to 1 (CSR). */
    private static final class Weights {
        final int[] start;
        final int[] index;
        final double[] weight;

        private Weights(int[] start, int[] index, double[] weight) {
            this.start = start;
            this.index = index;
            this.weight = weight;
        }

        /** Output positions {@code offset .. offset + count - 1} of an axis of {@code length}. */
        static Weights of(int length, double scale, int offset, int count) {
            int perOutput = scale >= 1 ? 2 : (int) Math.ceil(1 / scale) + 1;
            int[] start = new int[count + 1];
            int[] index = new int[count * perOutput];
            double[] weight = new double[count * perOutput];
            int k = 0;
            for (int o = 0; o < count; o++) {
                start[o] = k;
                double p = o + offset;
                if (scale >= 1) {
                    // bilinear: the output centre mapped back, clamped at the edges
                    double s = Math.min(length - 1, Math.max(0, (p + 0.5) / scale - 0.5));
                    int lo = (int) Math.floor(s);
                    int hi = Math.min(length - 1, lo + 1);
                    double f = s - lo;
                    index[k] = lo;
                    weight[k++] = 1 - f;
                    index[k] = hi;
                    weight[k++] = f;
                } else {
                    // area: the source interval the output pixel covers, by overlap
                    double from = p / scale;
                    double to = Math.min(length, (p + 1) / scale);
                    int first = k;
                    double total = 0;
                    for (int i = (int) Math.floor(from); i < to && i < length; i++) {
                        double overlap = Math.min(to, i + 1) - Math.max(from, i);
                        if (overlap > 0) {
                            index[k] = i;
                            weight[k++] = overlap;
                            total += overlap;
                        }
                    }
                    if (k == first) {
                        index[k] = length - 1;
                        weight[k++] = 1;
                        total = 1;
                    }
                    for (int i = first; i < k; i++) {
                        weight[i] /= total;
                    }
                }
            }
            start[count] = k;
            return new Weights(start, index, weight);
        }
    }
}
