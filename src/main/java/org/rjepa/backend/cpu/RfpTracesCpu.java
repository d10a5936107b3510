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
 * (W_c, b_c, r_c). Each trace row is updated and then, while it is still in the L1 cache,
 * added into the gradient: two loops of one store each, which vectorise.
 */
public final class RfpTracesCpu {
    private RfpTracesCpu() {
    }

    /**
     * @param d     dh_t/dh_{t-1}, n values, read
     * @param g     g^a or g^c, n values, read
     * @param hPrev h_{t-1}, n values, read
     * @param u     u_t, m values, read
     * @param delta dL/dh_t (direct part), n values, read
     * @param EW    the trace of W_a or W_c, n rows of m, updated in place
     * @param eb    the trace of the bias, n, updated in place
     * @param er    the trace of r, n, updated in place
     * @param dW    n rows of m, accumulated into
     * @param db    n, accumulated into
     * @param dr    n, accumulated into
     */
    public static void update(int n, int m, float[] d, float[] g, float[] hPrev, float[] u,
            float[] delta, float[][] EW, float[] eb, float[] er, float[][] dW, float[] db,
            float[] dr) {
        for (int i = 0; i < n; i++) {
            float di = d[i];
            float gi = g[i];
            float li = delta[i];
            float[] trace = EW[i];
            for (int j = 0; j < m; j++) {
                trace[j] = di * trace[j] + gi * u[j];
            }
            ProjectionCpu.axpy(m, li, trace, dW[i]);
            eb[i] = di * eb[i] + gi;
            er[i] = di * er[i] + gi * hPrev[i];
            db[i] += li * eb[i];
            dr[i] += li * er[i];
        }
    }

    /**
     * The trace of a recurrent matrix (V with g^a, U with g^c, dense circuit only):
     * {@code E[i,k] = d_i E[i,k] + g_i h_{t-1,k}}, {@code dM[i,k] += delta_i E[i,k]}.
     *
     * @param E  n rows of cols, updated in place
     * @param dM n rows of cols, accumulated into
     */
    public static void updateMatrix(int n, int cols, float[] d, float[] g, float[] hPrev,
            float[] delta, float[][] E, float[][] dM) {
        for (int i = 0; i < n; i++) {
            float di = d[i];
            float gi = g[i];
            float[] trace = E[i];
            for (int k = 0; k < cols; k++) {
                trace[k] = di * trace[k] + gi * hPrev[k];
            }
            ProjectionCpu.axpy(cols, delta[i], trace, dM[i]);
        }
    }
}
