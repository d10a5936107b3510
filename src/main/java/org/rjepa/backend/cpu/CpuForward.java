package org.rjepa.backend.cpu;

import static org.rjepa.model.Block.Wc;
import static org.rjepa.model.Block.bc;
import static org.rjepa.model.Block.bp;

import org.rjepa.fixation.FixationBatch;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * The forward pass alone, float32, for evaluation: the states, predictions and target
 * embeddings of every fixation of a batch, with the weights frozen. It runs the same kernels
 * as training.
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
     * @param liveTarget whether the targets use the live drive weights (guard none) rather
     *                   than the EMA target's
     */
    public Outputs run(FixationBatch batch, Parameters p, Target target, boolean liveTarget) {
        Dimensions d = p.dims();
        int n = d.n();
        int B = batch.B;
        int T = batch.T;
        Outputs out = new Outputs(B, T, n, new float[B * T * n], new float[B * T * n],
                new float[B * T * n]);
        float[] bcTarget = liveTarget ? p.get(bc) : target.bcBar;
        RowWeights w = new RowWeights(d);
        w.refresh(p, liveTarget ? p.get(Wc) : target.WcBar);
        pool.forEach(CpuLearner.chunks(B), c -> {
            SequenceState s = new SequenceState(d, false);
            int end = Math.min(B, (c + 1) * CpuLearner.CHUNK);
            for (int b = c * CpuLearner.CHUNK; b < end; b++) {
                s.reset();
                for (int t = 0; t < T; t++) {
                    float[] u = batch.u(b, t);
                    int o = out.offset(b, t);
                    CircuitStepCpu.advance(d, w, p, u, s);
                    PredictionErrorCpu.predict(n, d.ms(), w.PhT, w.PsT, p.get(bp), s.h,
                            batch.s(b, t), s.e);
                    TargetEmbeddingCpu.embed(n, d.mx(), w.targetT, bcTarget, u, s.z);
                    System.arraycopy(s.h, 0, out.h, o, n);
                    System.arraycopy(s.e, 0, out.yhat, o, n);
                    System.arraycopy(s.z, 0, out.z, o, n);
                    s.advance();
                }
            }
        });
        return out;
    }

    @Override
    public void close() {
        pool.close();
    }
}
