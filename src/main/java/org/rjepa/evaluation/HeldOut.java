package org.rjepa.evaluation;

import org.rjepa.backend.cpu.CpuForward;
import org.rjepa.data.ImageSet;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.fixation.Fixations;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * Evaluates a network on a fixed set of held-out sequences: one per held-out image (up to
 * a limit), with fixations drawn from a constant seed, so that every report of every run
 * on the same data and policy sees the same sequences.
 */
public final class HeldOut implements AutoCloseable {
    /** Seed of the held-out fixations. */
    public static final long EVAL_SEED = 0xE7A1L;

    private final FixationBatch batch;
    private final CpuForward forward;

    public HeldOut(ImageSet heldOut, Fixations fixations, int n, int maxImages, int threads) {
        int count = Math.min(maxImages, heldOut.count());
        int[] images = new int[count];
        long[] seeds = new long[count];
        for (int i = 0; i < count; i++) {
            images[i] = i;
            seeds[i] = EVAL_SEED * 1_000_003L + i;
        }
        this.batch = FixationBatch.sample(heldOut, images, seeds, fixations, n);
        this.forward = new CpuForward(threads);
    }

    public int sequences() {
        return batch.B;
    }

    /**
     * @param liveTarget whether targets use the live drive weights (guard {@code none})
     */
    public Metrics evaluate(Parameters p, Target target, boolean liveTarget) {
        CpuForward.Outputs out = forward.run(batch, p, target, liveTarget);
        return measure(out);
    }

    /** R^2, persistence R^2, the loss and the collapse metrics from a forward pass. */
    static Metrics measure(CpuForward.Outputs out) {
        int B = out.B();
        int T = out.T();
        int n = out.n();
        // mean of the targets that are predicted, z_1 .. z_{T-1}, per dimension
        double[] mean = new double[n];
        for (int b = 0; b < B; b++) {
            for (int t = 1; t < T; t++) {
                int o = out.offset(b, t);
                for (int i = 0; i < n; i++) {
                    mean[i] += out.z()[o + i];
                }
            }
        }
        long targets = (long) B * (T - 1);
        for (int i = 0; i < n; i++) {
            mean[i] /= targets;
        }
        double sse = 0;
        double persistence = 0;
        double sst = 0;
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T - 1; t++) {
                int now = out.offset(b, t);
                int next = out.offset(b, t + 1);
                for (int i = 0; i < n; i++) {
                    double zNext = out.z()[next + i];
                    double miss = out.yhat()[now + i] - zNext;
                    double stay = out.z()[now + i] - zNext;
                    double spread = zNext - mean[i];
                    sse += miss * miss;
                    persistence += stay * stay;
                    sst += spread * spread;
                }
            }
        }
        double loss = 0.5 * sse / targets;
        double r2 = sst > 0 ? 1 - sse / sst : Double.NaN;
        double r2Persistence = sst > 0 ? 1 - persistence / sst : Double.NaN;
        Collapse z = Collapse.of(out.z(), B * T, n);
        Collapse h = Collapse.of(out.h(), B * T, n);
        return new Metrics(loss, r2, r2Persistence, z, h);
    }

    @Override
    public void close() {
        forward.close();
    }
}
