package org.rjepa.backend.cpu;

import org.rjepa.fixation.FixationBatch;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;

/**
 * Real-time recurrent learning on the CPU in float32 (DESIGN.md section 5): each sequence
 * keeps the full sensitivity {@code S_t = dh_t/dtheta}, n x P with P the circuit's
 * parameters, and moves it by {@code S_t = J_t S_{t-1} + M_t} with {@code J_t} a dense n x n
 * matrix (diagonal on the diagonal circuit, but multiplied as dense, which is RTRL's cost:
 * n^2 P per fixation); the gradient is {@code S_t^T delta_t}. Exact for the dense circuit too.
 *
 * <p>Columns of S: W_a, W_c (row-major), then b_a, r_a, b_c, r_c, then V and U when dense.
 * Learning state per sequence: S and its next value (2 n P floats) and J (n^2).
 */
public final class CpuRtrlLearner extends CpuLearner {
    private final int P;
    /** Per sequence: S_{t-1} (read) and S_t (written), n rows of P, swapped each fixation. */
    private float[][][] S = new float[0][][];
    private float[][][] next = new float[0][][];
    /** Per sequence: J_t, n rows of n. */
    private float[][][] J = new float[0][][];
    /** Per chunk: the flat circuit gradient, P values. */
    private float[][] chunkTheta = new float[0][];

    public CpuRtrlLearner(Dimensions dims, int threads) {
        super(dims, threads);
        this.P = dims.circuitParameters();
    }

    @Override
    SequenceState newSequence() {
        return new SequenceState(dims, false);
    }

    @Override
    void prepare(int B, int T) {
        int n = dims.n();
        if (S.length != B) {
            S = new float[B][n][P];
            next = new float[B][n][P];
            J = new float[B][n][n];
            chunkTheta = new float[chunks(B)][P];
        }
        for (int b = 0; b < B; b++) {
            for (float[] row : S[b]) {
                java.util.Arrays.fill(row, 0f);
            }
        }
        for (float[] theta : chunkTheta) {
            java.util.Arrays.fill(theta, 0f);
        }
    }

    @Override
    void learn(int b, int t, FixationBatch batch, Parameters p, RowGradient grad, int chunk) {
        int n = dims.n();
        SequenceState s = sequences[b];
        sensitivity(b, s, batch.u(b, t));
        // dtheta += S_t^T delta_t
        float[] theta = chunkTheta[chunk];
        for (int i = 0; i < n; i++) {
            ProjectionCpu.axpy(P, s.delta[i], S[b][i], theta);
        }
    }

    /** S_t = J_t S_{t-1} + M_t, as a dense matrix product. */
    private void sensitivity(int b, SequenceState s, float[] u) {
        int n = dims.n();
        int m = dims.m();
        float[][] Jt = J[b];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(Jt[i], 0f);
            Jt[i][i] = s.d[i];
            if (dims.dense()) {
                // off the diagonal, J_t[i][k] = g^a_i V[i][k] + g^c_i U[i][k]
                for (int k = 0; k < n; k++) {
                    if (k != i) {
                        Jt[i][k] = s.gA[i] * weights.VRows[i][k] + s.gC[i] * weights.URows[i][k];
                    }
                }
            }
        }
        float[][] from = S[b];
        float[][] to = next[b];
        for (int i = 0; i < n; i++) {
            float[] row = to[i];
            java.util.Arrays.fill(row, 0f);
            for (int k = 0; k < n; k++) {
                ProjectionCpu.axpy(P, Jt[i][k], from[k], row);
            }
        }
        // M_t: the direct dependence of h_{t,i} on the parameters of unit i
        int offWc = n * m;
        int offBa = 2 * n * m;
        int offV = offBa + 4 * n;
        for (int i = 0; i < n; i++) {
            float[] row = to[i];
            float gA = s.gA[i];
            float gC = s.gC[i];
            for (int j = 0; j < m; j++) {
                row[i * m + j] += gA * u[j];
                row[offWc + i * m + j] += gC * u[j];
            }
            row[offBa + i] += gA;
            row[offBa + n + i] += gA * s.hPrev[i];
            row[offBa + 2 * n + i] += gC;
            row[offBa + 3 * n + i] += gC * s.hPrev[i];
            if (dims.dense()) {
                for (int k = 0; k < n; k++) {
                    row[offV + i * n + k] += gA * s.hPrev[k];
                    row[offV + n * n + i * n + k] += gC * s.hPrev[k];
                }
            }
        }
        S[b] = to;
        next[b] = from;
    }

    @Override
    void fold(int chunk, RowGradient grad) {
        int n = dims.n();
        int m = dims.m();
        float[] theta = chunkTheta[chunk];
        int nm = n * m;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                grad.dWa[i][j] += theta[i * m + j];
                grad.dWc[i][j] += theta[nm + i * m + j];
            }
            grad.dba[i] += theta[2 * nm + i];
            grad.dra[i] += theta[2 * nm + n + i];
            grad.dbc[i] += theta[2 * nm + 2 * n + i];
            grad.drc[i] += theta[2 * nm + 3 * n + i];
            if (dims.dense()) {
                int offV = 2 * nm + 4 * n;
                for (int k = 0; k < n; k++) {
                    grad.dV[i][k] += theta[offV + i * n + k];
                    grad.dU[i][k] += theta[offV + n * n + i * n + k];
                }
            }
        }
        java.util.Arrays.fill(theta, 0f);
    }

    /** Bytes of S, its next value and J per sequence, counted from the arrays. */
    @Override
    public long stateBytesPerSequence() {
        if (S.length == 0) {
            return 0;
        }
        long floats = 0;
        for (float[][] matrix : new float[][][] {S[0], next[0], J[0]}) {
            for (float[] row : matrix) {
                floats += row.length;
            }
        }
        return floats * Float.BYTES;
    }

    @Override
    public String algorithm() {
        return "rtrl";
    }
}
