package org.rjepa.backend.cpu;

import org.rjepa.fixation.FixationBatch;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;

/**
 * Backpropagation through time on the CPU in float32: the forward pass stores, for each
 * sequence and fixation, what the backward pass needs ({@code h_{t-1}}, {@code d_t},
 * {@code g^a_t}, {@code g^c_t} and {@code delta_t}), then runs backward from the last loss
 * term. Exact on both circuits; its learning state grows with T: 5 n T floats per sequence.
 * It has no per-step update: the gradient exists only once the sequence is over.
 */
public final class CpuBpttLearner extends CpuLearner {
    /** Per sequence and fixation, n values each: [b][t][i]. */
    private float[][][] hPrev = new float[0][][];
    private float[][][] d = new float[0][][];
    private float[][][] gA = new float[0][][];
    private float[][][] gC = new float[0][][];
    private float[][][] delta = new float[0][][];
    /** Per sequence, n values: dL/dh flowing back, and this step's total. */
    private float[][] carry = new float[0][];
    private float[][] dh = new float[0][];
    private int steps;

    public CpuBpttLearner(Dimensions dims, int threads) {
        super(dims, threads);
    }

    @Override
    SequenceState newSequence() {
        return new SequenceState(dims, false);
    }

    @Override
    void prepare(int B, int T) {
        int n = dims.n();
        if (hPrev.length != B || steps != T) {
            hPrev = new float[B][T][n];
            d = new float[B][T][n];
            gA = new float[B][T][n];
            gC = new float[B][T][n];
            delta = new float[B][T][n];
            carry = new float[B][n];
            dh = new float[B][n];
            steps = T;
        }
    }

    @Override
    void learn(int b, int t, FixationBatch batch, Parameters p, RowGradient grad, int chunk) {
        int n = dims.n();
        SequenceState s = sequences[b];
        // what the backward pass will need
        System.arraycopy(s.hPrev, 0, hPrev[b][t], 0, n);
        System.arraycopy(s.d, 0, d[b][t], 0, n);
        System.arraycopy(s.gA, 0, gA[b][t], 0, n);
        System.arraycopy(s.gC, 0, gC[b][t], 0, n);
        System.arraycopy(s.delta, 0, delta[b][t], 0, n);
    }

    @Override
    void finishSequence(int b, FixationBatch batch, Parameters p, RowGradient grad) {
        int n = dims.n();
        int m = dims.m();
        float[] back = carry[b];
        float[] total = dh[b];
        java.util.Arrays.fill(back, 0f);
        for (int t = batch.T - 2; t >= 0; t--) {
            float[] u = batch.u(b, t);
            float[] hp = hPrev[b][t];
            for (int i = 0; i < n; i++) {
                total[i] = back[i] + delta[b][t][i];
            }
            for (int i = 0; i < n; i++) {
                float dAlpha = total[i] * gA[b][t][i];
                float dGamma = total[i] * gC[b][t][i];
                ProjectionCpu.axpy(m, dAlpha, u, grad.dWa[i]);
                ProjectionCpu.axpy(m, dGamma, u, grad.dWc[i]);
                grad.dba[i] += dAlpha;
                grad.dra[i] += dAlpha * hp[i];
                grad.dbc[i] += dGamma;
                grad.drc[i] += dGamma * hp[i];
                if (dims.dense()) {
                    ProjectionCpu.axpy(n, dAlpha, hp, grad.dV[i]);
                    ProjectionCpu.axpy(n, dGamma, hp, grad.dU[i]);
                }
            }
            // dL/dh_{t-1} = J_t^T dL/dh_t: the diagonal d_t, and V^T, U^T off it when dense
            for (int k = 0; k < n; k++) {
                back[k] = total[k] * d[b][t][k];
            }
            if (dims.dense()) {
                for (int i = 0; i < n; i++) {
                    float dAlpha = total[i] * gA[b][t][i];
                    float dGamma = total[i] * gC[b][t][i];
                    ProjectionCpu.axpy(n, dAlpha, weights.VRows[i], back);
                    ProjectionCpu.axpy(n, dGamma, weights.URows[i], back);
                    back[i] -= dAlpha * weights.Vdiag[i] + dGamma * weights.Udiag[i];
                }
            }
        }
    }

    @Override
    boolean supportsPerStep() {
        return false;
    }

    /** Bytes of the stored activations per sequence, counted from the arrays. */
    @Override
    public long stateBytesPerSequence() {
        if (hPrev.length == 0) {
            return 0;
        }
        long floats = carry[0].length + dh[0].length;
        for (float[][][] history : new float[][][][] {hPrev, d, gA, gC, delta}) {
            for (float[] row : history[0]) {
                floats += row.length;
            }
        }
        return floats * Float.BYTES;
    }

    @Override
    public String algorithm() {
        return "bptt";
    }
}
