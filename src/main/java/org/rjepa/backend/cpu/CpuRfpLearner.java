package org.rjepa.backend.cpu;

import static org.rjepa.model.Block.Wc;
import static org.rjepa.model.Block.ba;
import static org.rjepa.model.Block.bc;
import static org.rjepa.model.Block.bp;
import static org.rjepa.model.Block.ra;
import static org.rjepa.model.Block.rc;

import java.util.function.Consumer;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.learning.Guard;
import org.rjepa.learning.Learner;
import org.rjepa.learning.UpdateMode;
import org.rjepa.learning.UpdateRule;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * RFP training on the CPU in float32, multi-threaded over the batch. All sequences of a
 * batch advance in lock step, one fixation at a time; at each step every sequence runs the
 * gated step, embeds its next target, forms its error and moves its traces, accumulating
 * into the gradient of its chunk. Chunks hold {@value #CHUNK} sequences and are summed in
 * order, so the gradient is the same for any number of threads.
 *
 * <p>Learning state: per sequence, the traces {@code E^{Wa}, E^{Wc}} (n x m each) and
 * {@code e^{ba}, e^{ra}, e^{bc}, e^{rc}} (n each), {@code 2nm + 4n} floats, whatever T is.
 */
public final class CpuRfpLearner implements Learner {
    static final int CHUNK = 8;

    private final Dimensions dims;
    private final ChunkPool pool;
    private final RowWeights weights;
    private SequenceState[] sequences = new SequenceState[0];
    private RowGradient[] chunkGrads = new RowGradient[0];
    private double[] chunkLoss = new double[0];
    private final Parameters meanGrad;

    public CpuRfpLearner(Dimensions dims, int threads) {
        this.dims = dims;
        this.pool = new ChunkPool(threads);
        this.weights = new RowWeights(dims);
        this.meanGrad = new Parameters(dims);
    }

    public Dimensions dims() {
        return dims;
    }

    @Override
    public double train(FixationBatch batch, Parameters params, Target target,
            UpdateRule rule) {
        return train(batch, params, target, rule.guard(), rule.mode(),
                grad -> rule.apply(params, target, grad));
    }

    /**
     * Trains on one batch. {@code update} receives the batch-mean gradient (kept, reused: read
     * it before returning) and must step the weights and the target: once at the end of the
     * batch ({@code PER_SEQUENCE}) or after every fixation that has a loss term
     * ({@code PER_STEP}).
     *
     * @return the batch's mean loss, with the weights as they were when each term was formed
     */
    public double train(FixationBatch batch, Parameters params, Target target, Guard guard,
            UpdateMode mode, Consumer<Parameters> update) {
        int B = batch.B;
        int T = batch.T;
        allocate(B);
        for (int b = 0; b < B; b++) {
            sequences[b].reset();
        }
        int chunks = chunks(B);
        float[] WcTarget = guard.liveTarget() ? params.get(Wc) : target.WcBar;
        float[] bcTarget = guard.liveTarget() ? params.get(bc) : target.bcBar;
        weights.refresh(params, WcTarget);
        double loss = 0;
        for (int t = 0; t < T; t++) {
            int step = t;
            pool.forEach(chunks, c -> runChunk(c, step, batch, params, bcTarget, guard));
            if (t == T - 1) {
                break;
            }
            if (mode == UpdateMode.PER_STEP || t == T - 2) {
                loss += reduce(chunks, B);
                update.accept(meanGrad);
                if (mode == UpdateMode.PER_STEP) {
                    weights.refresh(params, WcTarget);
                }
            }
        }
        return loss;
    }

    /** The trace of {@code block} of sequence b after the last batch, flat, for tests. */
    public float[] trace(int b, Block block) {
        SequenceState s = sequences[b];
        switch (block) {
            case Wa:
                return flatten(s.EWa);
            case Wc:
                return flatten(s.EWc);
            case ba:
                return s.eba.clone();
            case ra:
                return s.era.clone();
            case bc:
                return s.ebc.clone();
            case rc:
                return s.erc.clone();
            case V:
            case U:
                return new float[0];
            default:
                throw new IllegalArgumentException(block + " has no trace");
        }
    }

    /** The final state h_T of sequence b after the last batch (a copy). */
    public float[] finalState(int b) {
        return sequences[b].hPrev.clone();
    }

    /** Bytes of RFP learning state (the traces) per sequence, counted from the arrays. */
    @Override
    public long stateBytesPerSequence() {
        return sequences.length == 0 ? 0 : sequences[0].traceFloats() * Float.BYTES;
    }

    private void runChunk(int c, int t, FixationBatch batch, Parameters p, float[] bcTarget,
            Guard guard) {
        int n = dims.n();
        int m = dims.m();
        int ms = dims.ms();
        int mx = dims.mx();
        int T = batch.T;
        RowGradient grad = chunkGrads[c];
        RowWeights w = weights;
        int end = Math.min(batch.B, (c + 1) * CHUNK);
        for (int b = c * CHUNK; b < end; b++) {
            SequenceState s = sequences[b];
            float[] u = batch.u(b, t);
            // gated step from the input projections
            ProjectionCpu.project(n, m, w.WaT, p.get(ba), u, s.projA);
            ProjectionCpu.project(n, m, w.WcT, p.get(bc), u, s.projC);
            GatedStepCpu.step(n, s.projA, s.projC, p.get(ra), p.get(rc), s.hPrev, s.h, s.d,
                    s.gA, s.gC);
            if (t < T - 1) {
                // the target of the next fixation, the error and its back-projection
                float[] uNext = batch.u(b, t + 1);
                float[] saccade = batch.s(b, t);
                TargetEmbeddingCpu.embed(n, mx, w.targetT, bcTarget, uNext, s.z);
                PredictionErrorCpu.predict(n, ms, w.PhT, w.PsT, p.get(bp), s.h, saccade, s.e);
                chunkLoss[c] += PredictionErrorCpu.error(n, s.e, s.z, T);
                PredictionErrorCpu.backProject(n, ms, w.PhRows, s.e, s.h, saccade, s.delta,
                        grad.dPh, grad.dPs, grad.dbp);
                if (guard.liveTarget()) {
                    TargetEmbeddingCpu.addGradient(n, mx, s.e, s.z, uNext, grad.dWc, grad.dbc);
                }

                // traces forward, fused with the gradient
                RfpTracesCpu.update(n, m, s.d, s.gA, s.hPrev, u, s.delta, s.EWa, s.eba, s.era,
                        grad.dWa, grad.dba, grad.dra);
                RfpTracesCpu.update(n, m, s.d, s.gC, s.hPrev, u, s.delta, s.EWc, s.ebc, s.erc,
                        grad.dWc, grad.dbc, grad.drc);
            }
            s.advance();
        }
    }

    /** Mean gradient over the batch into {@link #meanGrad}; returns the mean loss so far. */
    private double reduce(int chunks, int B) {
        meanGrad.fill(0);
        double loss = 0;
        float inverse = 1f / B;
        for (int c = 0; c < chunks; c++) {
            chunkGrads[c].addInto(meanGrad, inverse);
            chunkGrads[c].clear();
            loss += chunkLoss[c];
            chunkLoss[c] = 0;
        }
        return loss / B;
    }

    private void allocate(int B) {
        if (sequences.length != B) {
            sequences = new SequenceState[B];
            for (int b = 0; b < B; b++) {
                sequences[b] = new SequenceState(dims, true);
            }
            chunkGrads = new RowGradient[chunks(B)];
            for (int c = 0; c < chunkGrads.length; c++) {
                chunkGrads[c] = new RowGradient(dims);
            }
            chunkLoss = new double[chunkGrads.length];
        }
        for (RowGradient g : chunkGrads) {
            g.clear();
        }
        java.util.Arrays.fill(chunkLoss, 0);
    }

    static int chunks(int B) {
        return (B + CHUNK - 1) / CHUNK;
    }

    private static float[] flatten(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] out = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * cols, cols);
        }
        return out;
    }

    @Override
    public String algorithm() {
        return "rfp";
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public void close() {
        pool.close();
    }
}
