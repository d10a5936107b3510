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

import java.util.Arrays;
import java.util.function.Consumer;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.learning.Guard;
import org.rjepa.learning.UpdateMode;
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
public final class CpuRfpLearner implements AutoCloseable {
    static final int CHUNK = 8;

    private final Dimensions dims;
    private final ChunkPool pool;

    private int capacity = -1;
    private float[] h;
    private float[] hPrev;
    private float[] projA;
    private float[] projC;
    private float[] d;
    private float[] gA;
    private float[] gC;
    private float[] z;
    private float[] e;
    private float[] delta;
    private float[] EWa;
    private float[] EWc;
    private float[] eba;
    private float[] era;
    private float[] ebc;
    private float[] erc;
    private Parameters[] chunkGrads;
    private double[] chunkLoss;
    private Parameters meanGrad;

    public CpuRfpLearner(Dimensions dims, int threads) {
        this.dims = dims;
        this.pool = new ChunkPool(threads);
    }

    public Dimensions dims() {
        return dims;
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
        reset(B);
        int chunks = (B + CHUNK - 1) / CHUNK;
        double loss = 0;
        for (int t = 0; t < T; t++) {
            int step = t;
            pool.forEach(chunks, c -> runChunk(c, step, batch, params, target, guard));
            float[] swap = hPrev;
            hPrev = h;
            h = swap;
            if (t == T - 1) {
                break;
            }
            if (mode == UpdateMode.PER_STEP || t == T - 2) {
                loss += reduce(chunks, B);
                update.accept(meanGrad);
            }
        }
        return loss;
    }

    /** The trace of {@code block} of sequence b after the last batch (a copy), for tests. */
    public float[] trace(int b, Block block) {
        int n = dims.n();
        int nm = n * dims.m();
        switch (block) {
            case Wa:
                return Arrays.copyOfRange(EWa, b * nm, (b + 1) * nm);
            case Wc:
                return Arrays.copyOfRange(EWc, b * nm, (b + 1) * nm);
            case ba:
                return Arrays.copyOfRange(eba, b * n, (b + 1) * n);
            case ra:
                return Arrays.copyOfRange(era, b * n, (b + 1) * n);
            case bc:
                return Arrays.copyOfRange(ebc, b * n, (b + 1) * n);
            case rc:
                return Arrays.copyOfRange(erc, b * n, (b + 1) * n);
            default:
                throw new IllegalArgumentException(block + " has no trace");
        }
    }

    /** The final state h_T of sequence b after the last batch (a copy). */
    public float[] finalState(int b) {
        int n = dims.n();
        return Arrays.copyOfRange(hPrev, b * n, (b + 1) * n);
    }

    /** Bytes of RFP learning state (the traces) held per sequence: counted from the arrays. */
    public long traceBytesPerSequence() {
        if (capacity <= 0) {
            return 0;
        }
        long floats = (long) EWa.length + EWc.length + eba.length + era.length + ebc.length
                + erc.length;
        return floats * Float.BYTES / capacity;
    }

    private void runChunk(int c, int t, FixationBatch batch, Parameters p, Target target,
            Guard guard) {
        int n = dims.n();
        int m = dims.m();
        int ms = dims.ms();
        int mx = dims.mx();
        int T = batch.T;
        Parameters grad = chunkGrads[c];
        float[] WcTarget = guard.liveTarget() ? p.get(Wc) : target.WcBar;
        float[] bcTarget = guard.liveTarget() ? p.get(bc) : target.bcBar;
        int end = Math.min(batch.B, (c + 1) * CHUNK);
        for (int b = c * CHUNK; b < end; b++) {
            int v = b * n;
            int uOffset = batch.uOffset(b, t);
            // gated step from the input projections
            ProjectionCpu.project(n, m, m, p.get(Wa), p.get(ba), batch.u, uOffset, projA, v);
            ProjectionCpu.project(n, m, m, p.get(Wc), p.get(bc), batch.u, uOffset, projC, v);
            GatedStepCpu.step(n, projA, projC, p.get(ra), p.get(rc), hPrev, v, h, d, gA, gC, v);
            if (t == T - 1) {
                continue;
            }

            // the target of the next fixation, the error and its back-projection
            int uNext = batch.uOffset(b, t + 1);
            TargetEmbeddingCpu.embed(n, mx, m, WcTarget, bcTarget, batch.u, uNext, z, v);
            int sOffset = batch.sOffset(b, t);
            PredictionErrorCpu.predict(n, ms, p.get(Ph), p.get(Ps), p.get(bp), h, v, batch.s,
                    sOffset, e, v);
            chunkLoss[c] += PredictionErrorCpu.error(n, e, v, z, v, T);
            PredictionErrorCpu.backProject(n, ms, p.get(Ph), e, v, h, v, batch.s, sOffset,
                    delta, v, grad.get(Ph), grad.get(Ps), grad.get(bp));
            if (guard.liveTarget()) {
                TargetEmbeddingCpu.addGradient(n, mx, m, e, v, z, v, batch.u, uNext,
                        grad.get(Wc), grad.get(bc));
            }

            // traces forward, fused with the gradient
            int traceOffset = b * n * m;
            RfpTracesCpu.update(n, m, d, gA, hPrev, v, v, batch.u, uOffset, delta, v, true,
                    EWa, traceOffset, eba, era, v, grad.get(Wa), grad.get(ba), grad.get(ra));
            RfpTracesCpu.update(n, m, d, gC, hPrev, v, v, batch.u, uOffset, delta, v, true,
                    EWc, traceOffset, ebc, erc, v, grad.get(Wc), grad.get(bc), grad.get(rc));
        }
    }

    /** Mean gradient over the batch into {@link #meanGrad}; returns the mean loss so far. */
    private double reduce(int chunks, int B) {
        meanGrad.fill(0);
        double loss = 0;
        float inverse = 1f / B;
        for (int c = 0; c < chunks; c++) {
            meanGrad.addScaled(chunkGrads[c], inverse);
            chunkGrads[c].fill(0);
            loss += chunkLoss[c];
            chunkLoss[c] = 0;
        }
        return loss / B;
    }

    private void allocate(int B) {
        if (B == capacity) {
            return;
        }
        int n = dims.n();
        int nm = n * dims.m();
        h = new float[B * n];
        hPrev = new float[B * n];
        projA = new float[B * n];
        projC = new float[B * n];
        d = new float[B * n];
        gA = new float[B * n];
        gC = new float[B * n];
        z = new float[B * n];
        e = new float[B * n];
        delta = new float[B * n];
        EWa = new float[B * nm];
        EWc = new float[B * nm];
        eba = new float[B * n];
        era = new float[B * n];
        ebc = new float[B * n];
        erc = new float[B * n];
        int chunks = (B + CHUNK - 1) / CHUNK;
        chunkGrads = new Parameters[chunks];
        for (int c = 0; c < chunks; c++) {
            chunkGrads[c] = new Parameters(dims);
        }
        chunkLoss = new double[chunks];
        meanGrad = new Parameters(dims);
        capacity = B;
    }

    private void reset(int B) {
        for (float[] a : new float[][] {h, hPrev, EWa, EWc, eba, era, ebc, erc}) {
            Arrays.fill(a, 0);
        }
        for (Parameters g : chunkGrads) {
            g.fill(0);
        }
        Arrays.fill(chunkLoss, 0);
    }

    @Override
    public void close() {
        pool.close();
    }
}
