package org.rjepa.backend.cpu;

/**
 * The RFP trace update of one sequence fused with its contribution to the gradient
 * (DESIGN.md section 5), float32. For each hidden unit i:
 *
 * <pre>
 *   E^W[i,j] = d_i E^W[i,j] + g_i u_j          dW[i,j] += delta_i E^W[i,j]
 *   e^b[i]   = d_i e^b[i]   + g_i              db[i]   += delta_i e^b[i]
 *   e^r[i]   = d_i e^r[i]   + g_i h_{t-1,i}    dr[i]   += delta_i e^r[i]
 * </pre>
 *
 * once with the gate's {@code g^a} (W_a, b_a, r_a) and once with the drive's {@code g^c}
 * (W_c, b_c, r_c). Each trace is read and written once per fixation. With
 * {@code accumulate = false} (a step without a loss term) only the traces move.
 */
public final class RfpTracesCpu {
    private RfpTracesCpu() {
    }

    /**
     * @param EW    the n x m trace of W_a or W_c from traceOffset, updated in place
     * @param eb    the n trace of the bias from vectorOffset, updated in place
     * @param er    the n trace of r from vectorOffset, updated in place
     * @param dW    n x m, accumulated into when {@code accumulate}
     * @param db    n, accumulated into
     * @param dr    n, accumulated into
     */
    public static void update(int n, int m, float[] d, float[] g, float[] hPrev, int stateOffset,
            int prevOffset, float[] u, int uOffset, float[] delta, int deltaOffset,
            boolean accumulate, float[] EW, int traceOffset, float[] eb, float[] er,
            int vectorOffset, float[] dW, float[] db, float[] dr) {
        for (int i = 0; i < n; i++) {
            float di = d[stateOffset + i];
            float gi = g[stateOffset + i];
            float li = accumulate ? delta[deltaOffset + i] : 0;
            int row = traceOffset + i * m;
            int gradRow = i * m;
            if (accumulate) {
                for (int j = 0; j < m; j++) {
                    float e = di * EW[row + j] + gi * u[uOffset + j];
                    EW[row + j] = e;
                    dW[gradRow + j] += li * e;
                }
            } else {
                for (int j = 0; j < m; j++) {
                    EW[row + j] = di * EW[row + j] + gi * u[uOffset + j];
                }
            }
            int v = vectorOffset + i;
            eb[v] = di * eb[v] + gi;
            er[v] = di * er[v] + gi * hPrev[prevOffset + i];
            db[i] += li * eb[v];
            dr[i] += li * er[v];
        }
    }
}
