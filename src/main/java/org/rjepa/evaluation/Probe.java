package org.rjepa.evaluation;

import java.util.Arrays;
import org.rjepa.backend.cpu.CpuForward;
import org.rjepa.data.DataSplit;
import org.rjepa.data.ImageSet;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.fixation.Fixations;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * The linear probe (DESIGN.md section 6): what a frozen representation is good for. Each
 * labelled image is looked at along one fixed fixation sequence (seeded by the image's
 * index alone), and represented by a {@link Readout} of its states: {@code [h_T ; mean_t h_t]},
 * 2n values, or every state in order, Tn values; a multinomial logistic regression is fitted
 * on the training images and scored on held-out ones.
 *
 * <p>The penalty l2 is chosen on a validation split of the training images (a fixed fifth,
 * by a constant seed): for each value of {@link #PENALTIES}, from the strongest, a fit on the
 * other four fifths, warm-started from the previous value's, is scored on the fifth; the
 * best (the stronger on a tie) is refitted on all training images and scored once on the
 * test images. Features are standardised with the fitting images' mean and deviation. The
 * test images are never used to choose anything.
 */
public final class Probe {
    /** The penalties tried, strongest first. */
    public static final double[] PENALTIES = {1e-1, 1e-2, 1e-3, 1e-4};
    /** Share of the training images held out to choose the penalty. */
    public static final double VALIDATION = 0.2;
    /** L-BFGS iterations per fit. */
    public static final int ITERATIONS = 150;
    /** Seed of the validation split. */
    public static final long SPLIT_SEED = 0x9B0BEL;
    /** Seed of the fixations of image i: {@code FIXATION_SEED * 1_000_003 + i}. */
    public static final long FIXATION_SEED = 0xF1CA7L;

    private static final int IMAGES_PER_PASS = 1000;

    private Probe() {
    }

    /**
     * One representation's probe.
     *
     * @param features   its width
     * @param l2         the penalty chosen on the validation split
     * @param validation accuracy on the validation split at that penalty
     * @param test       accuracy on the test images of the refitted probe
     */
    public record Result(int features, double l2, double validation, double test) {
    }

    /** What the probe reads of a sequence's states h_1 .. h_T. */
    public enum Readout {
        /** {@code [h_T ; mean_t h_t]}, 2n values: the order of the fixations is lost. */
        LAST_AND_MEAN("last-mean", "[h_T ; mean h_t]"),
        /** {@code [h_1 ; ... ; h_T]}, Tn values: with a fixed policy each block is a place. */
        STATES("states", "[h_1 ; ... ; h_T]");

        private final String flag;
        private final String formula;

        Readout(String flag, String formula) {
            this.flag = flag;
            this.formula = formula;
        }

        /** The name the command line uses. */
        public String flag() {
            return flag;
        }

        /** The features as DESIGN.md would write them. */
        public String formula() {
            return formula;
        }

        public int width(int n, int T) {
            return this == STATES ? T * n : 2 * n;
        }

        /** The readout of a command-line name; bad names are refused in one sentence. */
        public static Readout byName(String name) {
            for (Readout r : values()) {
                if (r.flag.equals(name)) {
                    return r;
                }
            }
            throw new org.rjepa.io.BadInputException("unknown --probe-features '" + name
                    + "'; expected last-mean or states.");
        }
    }

    /** {@code [h_T ; mean_t h_t]} of every image, [count][2n], one fixed sequence each. */
    public static double[][] networkFeatures(ImageSet images, Fixations fixations,
            Parameters p, Target target, boolean liveTarget, int threads) {
        return networkFeatures(images, fixations, p, target, liveTarget, threads,
                Readout.LAST_AND_MEAN);
    }

    /** The readout of every image, [count][readout width], one fixed sequence each. */
    public static double[][] networkFeatures(ImageSet images, Fixations fixations,
            Parameters p, Target target, boolean liveTarget, int threads, Readout readout) {
        int n = p.dims().n();
        int T = fixations.T();
        double[][] out = new double[images.count()][readout.width(n, T)];
        try (CpuForward forward = new CpuForward(threads)) {
            for (int from = 0; from < images.count(); from += IMAGES_PER_PASS) {
                int count = Math.min(IMAGES_PER_PASS, images.count() - from);
                int[] which = new int[count];
                long[] seeds = new long[count];
                for (int j = 0; j < count; j++) {
                    which[j] = from + j;
                    seeds[j] = FIXATION_SEED * 1_000_003L + from + j;
                }
                FixationBatch batch = FixationBatch.sample(images, which, seeds, fixations, n);
                CpuForward.Outputs o = forward.run(batch, p, target, liveTarget);
                for (int j = 0; j < count; j++) {
                    double[] f = out[from + j];
                    if (readout == Readout.STATES) {
                        for (int t = 0; t < T; t++) {
                            int at = o.offset(j, t);
                            for (int i = 0; i < n; i++) {
                                f[t * n + i] = o.h()[at + i];
                            }
                        }
                        continue;
                    }
                    for (int t = 0; t < T; t++) {
                        int at = o.offset(j, t);
                        for (int i = 0; i < n; i++) {
                            f[n + i] += o.h()[at + i] / T;
                        }
                    }
                    int last = o.offset(j, T - 1);
                    for (int i = 0; i < n; i++) {
                        f[i] = o.h()[last + i];
                    }
                }
            }
        }
        return out;
    }

    /** The pixels of every image as its features, [count][H*W*C]. */
    public static double[][] pixelFeatures(ImageSet images) {
        int size = images.height() * images.width() * images.channels();
        double[][] out = new double[images.count()][size];
        float[] pixels = images.pixels();
        for (int i = 0; i < images.count(); i++) {
            int o = images.offset(i);
            for (int j = 0; j < size; j++) {
                out[i][j] = pixels[o + j];
            }
        }
        return out;
    }

    /** The labels of a labelled set. */
    public static int[] labels(ImageSet images) {
        int[] out = new int[images.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = images.label(i);
        }
        return out;
    }

    /**
     * Chooses the penalty on a validation split of {@code train}, refits on all of it and
     * scores on {@code test}.
     */
    public static Result run(double[][] train, int[] trainLabels, double[][] test,
            int[] testLabels) {
        int classes = 1 + Math.max(Arrays.stream(trainLabels).max().orElse(0),
                Arrays.stream(testLabels).max().orElse(0));
        int[][] parts = validationSplit(train.length);
        double[][] fitX = rows(train, parts[0]);
        double[][] validX = rows(train, parts[1]);
        int[] fitY = rows(trainLabels, parts[0]);
        int[] validY = rows(trainLabels, parts[1]);
        double[][] stats = standardisation(fitX);
        fitX = standardised(fitX, stats);
        validX = standardised(validX, stats);

        double bestL2 = PENALTIES[0];
        double bestAccuracy = -1;
        LogisticRegression previous = null;
        for (double l2 : PENALTIES) {
            LogisticRegression model = LogisticRegression.fit(fitX, fitY, classes, l2,
                    ITERATIONS, previous);
            double accuracy = model.accuracy(validX, validY);
            if (accuracy > bestAccuracy) {
                bestAccuracy = accuracy;
                bestL2 = l2;
            }
            previous = model;
        }

        double[][] all = standardisation(train);
        LogisticRegression model = LogisticRegression.fit(standardised(train, all),
                trainLabels, classes, bestL2, ITERATIONS, null);
        double accuracy = model.accuracy(standardised(test, all), testLabels);
        return new Result(train.length == 0 ? 0 : train[0].length, bestL2, bestAccuracy,
                accuracy);
    }

    /** {fitting indices, validation indices}, by the fixed seed. */
    static int[][] validationSplit(int count) {
        int held = (int) Math.max(1, Math.round(VALIDATION * count));
        return DataSplit.partition(count, held, SPLIT_SEED);
    }

    /** Sizes of the fitting and validation parts of {@code count} training images. */
    public static int[] validationSizes(int count) {
        int[][] parts = validationSplit(count);
        return new int[] {parts[0].length, parts[1].length};
    }

    /** Per feature {mean, std} of x; a constant feature gets std 1. */
    private static double[][] standardisation(double[][] x) {
        int d = x.length == 0 ? 0 : x[0].length;
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / x.length;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                std[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / x.length;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = std[j] > 1e-24 ? Math.sqrt(std[j]) : 1;
        }
        return new double[][] {mean, std};
    }

    private static double[][] standardised(double[][] x, double[][] stats) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = (x[i][j] - stats[0][j]) / stats[1][j];
            }
        }
        return out;
    }

    private static double[][] rows(double[][] x, int[] which) {
        double[][] out = new double[which.length][];
        for (int i = 0; i < which.length; i++) {
            out[i] = x[which[i]];
        }
        return out;
    }

    private static int[] rows(int[] x, int[] which) {
        int[] out = new int[which.length];
        for (int i = 0; i < which.length; i++) {
            out[i] = x[which[i]];
        }
        return out;
    }
}
