package org.rjepa.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rjepa.backend.Backends;
import org.rjepa.data.ImageSet;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.fixation.Fixations;
import org.rjepa.fixation.RandomWalkPolicy;
import org.rjepa.learning.Learner;
import org.rjepa.learning.Optimizer;
import org.rjepa.learning.UpdateMode;
import org.rjepa.learning.UpdateRule;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Gaussian;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * Learning-state bytes and time per fixation of the three rules on the same problems, in
 * one run: for each size, every rule trains on the same batch in turn, repetition after
 * repetition, so that a slow moment of a noisy machine falls on all of them alike and the
 * ratios hold. The median over repetitions is reported. For JMH's careful measurements see
 * the benchmarks folder; this is the quick look.
 */
public final class LearnerComparison {
    /** Untimed batches per learner and size before the timed ones. */
    static final int WARMUP = 3;

    private LearnerComparison() {
    }

    /** One size: n hidden units, patch side k (m = k^2 + 8 with L = 2), T fixations, B. */
    public record Size(int n, int k, int T, int batch) {
    }

    /** One rule at one size. */
    public record Row(String algorithm, String device, int n, int m, int T, int batch,
            long stateBytesPerSequence, double nsPerFixation) {
    }

    /** The sizes of {@code rjepa bench --quick}: n and T each varied with the other fixed. */
    public static List<Size> quickSizes() {
        return List.of(new Size(16, 4, 10, 4), new Size(32, 4, 10, 4), new Size(64, 4, 10, 4),
                new Size(32, 4, 40, 4), new Size(32, 4, 160, 4));
    }

    /** Larger sizes, for a longer look (RTRL dominates the time). */
    public static List<Size> fullSizes() {
        return List.of(new Size(32, 8, 10, 8), new Size(64, 8, 10, 8), new Size(128, 8, 10, 8),
                new Size(64, 8, 100, 8), new Size(64, 8, 1000, 8));
    }

    public static List<Row> run(List<Size> sizes, List<String> algorithms, int repetitions,
            int threads) {
        List<Row> rows = new ArrayList<>();
        for (Size size : sizes) {
            Fixations fixations = new Fixations(new RandomWalkPolicy(2), size.T(), size.k(), 2);
            ImageSet images = randomImages(size.k() * 3);
            Dimensions d = fixations.dimensions(size.n(), 1);
            FixationBatch batch = batch(images, fixations, size);
            Parameters p = Parameters.initial(d, -1f, 0.5f, new SplittableRandom(size.n()));
            Target target = Target.copyOf(p);
            UpdateRule rule = new UpdateRule(UpdateMode.PER_SEQUENCE,
                    org.rjepa.learning.Guard.EMA, Optimizer.byName("sgd", 0, 0, d), 1f);
            Learner[] learners = new Learner[algorithms.size()];
            double[][] nanos = new double[algorithms.size()][repetitions];
            try {
                for (int a = 0; a < learners.length; a++) {
                    learners[a] = Backends.cpuLearner(algorithms.get(a),
                            UpdateMode.PER_SEQUENCE, d, threads);
                    // warm-up, so that the compiler has seen each learner's loops
                    for (int w = 0; w < WARMUP; w++) {
                        learners[a].train(batch, p, target, rule);
                    }
                }
                for (int r = 0; r < repetitions; r++) {
                    for (int a = 0; a < learners.length; a++) {
                        long t0 = System.nanoTime();
                        learners[a].train(batch, p, target, rule);
                        nanos[a][r] = System.nanoTime() - t0;
                    }
                }
                for (int a = 0; a < learners.length; a++) {
                    Arrays.sort(nanos[a]);
                    double median = nanos[a][repetitions / 2];
                    rows.add(new Row(learners[a].algorithm(), learners[a].device(), d.n(), d.m(),
                            size.T(), size.batch(), learners[a].stateBytesPerSequence(),
                            median / ((double) size.batch() * size.T())));
                }
            } finally {
                for (Learner learner : learners) {
                    if (learner != null) {
                        learner.close();
                    }
                }
            }
        }
        return rows;
    }

    private static FixationBatch batch(ImageSet images, Fixations fixations, Size size) {
        int[] which = new int[size.batch()];
        long[] seeds = new long[size.batch()];
        for (int b = 0; b < size.batch(); b++) {
            which[b] = b % images.count();
            seeds[b] = 1000 + b;
        }
        return FixationBatch.sample(images, which, seeds, fixations, size.n());
    }

    private static ImageSet randomImages(int side) {
        SplittableRandom random = new SplittableRandom(42);
        int count = 4;
        float[] pixels = new float[count * side * side];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) Gaussian.next(random);
        }
        return new ImageSet(pixels, null, count, side, side, 1, "random images");
    }
}
