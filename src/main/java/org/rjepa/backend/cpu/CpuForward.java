package org.rjepa.backend.cpu;

import static org.rjepa.model.Block.Ph;
import static org.rjepa.model.Block.Ps;
import static org.rjepa.model.Block.Wa;
import static org.rjepa.model.Block.Wc;
import static org.rjepa.model.Block.ba;
import static org.rjepa.model.Block.bc;
import static org.rjepa.model.Block.bp;
import static org.rjepa.model.Block.ra;
import static org.rjepa.model.Block.rc;

import org.rjepa.fixation.FixationBatch;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * The forward pass alone, float32, for evaluation: the states, predictions and target
 * embeddings of every fixation of a batch, with the weights frozen.
 */
public final class CpuForward implements AutoCloseable {
    private final ChunkPool pool;

    public CpuForward(int threads) {
        this.pool = new ChunkPool(threads);
    }

    /**
     * What a batch produced, each [B][T][n] row-major.
     *
     * @param h    the states h_t
     * @param yhat the predictions made after fixation t; the last step's is not used
     * @param z    the target embedding of every fixation's patch
     */
    public record Outputs(int B, int T, int n, float[] h, float[] yhat, float[] z) {
        public int offset(int b, int t) {
            return (b * T + t) * n;
        }
    }

    /**
     * @param WcTarget the drive weights the targets use: the EMA target's, or the live ones
     * @param bcTarget likewise for the bias
     */
    public Outputs run(FixationBatch batch, Parameters p, float[] WcTarget, float[] bcTarget) {
        Dimensions d = p.dims();
        int n = d.n();
        int B = batch.B;
        int T = batch.T;
        Outputs out = new Outputs(B, T, n, new float[B * T * n], new float[B * T * n],
                new float[B * T * n]);
        int chunks = (B + CpuRfpLearner.CHUNK - 1) / CpuRfpLearner.CHUNK;
        pool.forEach(chunks, c -> {
            int end = Math.min(B, (c + 1) * CpuRfpLearner.CHUNK);
            // per-chunk scratch: projections, the previous state and the dropped derivatives
            float[] projA = new float[n];
            float[] projC = new float[n];
            float[] hPrev = new float[n];
            float[] hNext = new float[n];
            float[] unused = new float[n];
            for (int b = c * CpuRfpLearner.CHUNK; b < end; b++) {
                java.util.Arrays.fill(hPrev, 0);
                for (int t = 0; t < T; t++) {
                    int uOffset = batch.uOffset(b, t);
                    int o = out.offset(b, t);
                    ProjectionCpu.project(n, d.m(), d.m(), p.get(Wa), p.get(ba), batch.u,
                            uOffset, projA, 0);
                    ProjectionCpu.project(n, d.m(), d.m(), p.get(Wc), p.get(bc), batch.u,
                            uOffset, projC, 0);
                    GatedStepCpu.step(n, projA, projC, p.get(ra), p.get(rc), hPrev, 0, hNext,
                            unused, unused, unused, 0);
                    System.arraycopy(hNext, 0, out.h, o, n);
                    System.arraycopy(hNext, 0, hPrev, 0, n);
                    PredictionErrorCpu.predict(n, d.ms(), p.get(Ph), p.get(Ps), p.get(bp),
                            out.h, o, batch.s, batch.sOffset(b, t), out.yhat, o);
                    TargetEmbeddingCpu.embed(n, d.mx(), d.m(), WcTarget, bcTarget, batch.u,
                            uOffset, out.z, o);
                }
            }
        });
        return out;
    }

    /** The drive weights the targets use: {W_c, b_c} when live, else {Wbar_c, bbar_c}. */
    public static float[][] targetWeights(Parameters p, Target target, boolean liveTarget) {
        return liveTarget ? new float[][] {p.get(Wc), p.get(bc)}
                : new float[][] {target.WcBar, target.bcBar};
    }

    @Override
    public void close() {
        pool.close();
    }
}
