package org.rjepa;

import java.util.SplittableRandom;
import org.rjepa.data.ImageSet;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.fixation.Fixations;
import org.rjepa.fixation.RandomWalkPolicy;
import org.rjepa.learning.DoubleParameters;
import org.rjepa.learning.ReferenceBatch;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Gaussian;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/** Small random problems shared by the tests: images, fixation batches, weights. */
public final class TestProblems {
    private TestProblems() {
    }

    /** Standard-normal "pixels", so that patches and targets are far from trivial. */
    public static ImageSet randomImages(int count, int height, int width, int channels,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[count * height * width * channels];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) Gaussian.next(random);
        }
        return new ImageSet(pixels, null, count, height, width, channels, "random");
    }

    public static FixationBatch batch(ImageSet images, int B, int T, int k, int L, int n,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] which = new int[B];
        long[] seeds = new long[B];
        for (int b = 0; b < B; b++) {
            which[b] = random.nextInt(images.count());
            seeds[b] = random.nextLong();
        }
        Fixations fixations = new Fixations(new RandomWalkPolicy(2.5), T, k, L);
        return FixationBatch.sample(images, which, seeds, fixations, n);
    }

    /** Weights with every block random (no zero blocks that could hide a wrong term). */
    public static Parameters randomParameters(Dimensions d, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Parameters p = new Parameters(d);
        for (Block b : Block.values()) {
            float[] x = p.get(b);
            double std = scale / Math.sqrt(Math.max(1, b.cols(d)));
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (std * Gaussian.next(random));
            }
        }
        return p;
    }

    /** A target a little away from the live drive, as after some EMA lag. */
    public static Target laggingTarget(Parameters p, long seed) {
        Target target = Target.copyOf(p);
        SplittableRandom random = new SplittableRandom(seed);
        for (float[] a : new float[][] {target.WcBar, target.bcBar}) {
            for (int i = 0; i < a.length; i++) {
                a[i] += (float) (0.1 * Gaussian.next(random));
            }
        }
        return target;
    }

    /**
     * The float batch in double: u and s as given, z either the target's embedding of every
     * patch (computed in double, as constants) or live.
     */
    public static ReferenceBatch toReference(FixationBatch batch, Target target, boolean live) {
        Dimensions d = batch.dims;
        int n = d.n();
        double[][][] u = new double[batch.B][batch.T][d.m()];
        double[][][] s = new double[batch.B][batch.T][d.ms()];
        double[][][] z = live ? null : new double[batch.B][batch.T][n];
        for (int b = 0; b < batch.B; b++) {
            for (int t = 0; t < batch.T; t++) {
                for (int j = 0; j < d.m(); j++) {
                    u[b][t][j] = batch.u(b, t)[j];
                }
                for (int j = 0; j < d.ms(); j++) {
                    s[b][t][j] = batch.s(b, t)[j];
                }
                if (!live) {
                    for (int i = 0; i < n; i++) {
                        double gamma = target.bcBar[i];
                        for (int j = 0; j < d.mx(); j++) {
                            gamma += (double) target.WcBar[i * d.m() + j] * u[b][t][j];
                        }
                        z[b][t][i] = Math.tanh(gamma);
                    }
                }
            }
        }
        return new ReferenceBatch(u, s, z, live);
    }

    public static double[] toDouble(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    public static DoubleParameters toDouble(Parameters p) {
        return DoubleParameters.of(p);
    }
}
