package org.rjepa.backend.cpu;

/**
 * The fused gated-circuit step of one sequence (DESIGN.md section 3), float32, from the input
 * projections {@code W_a u_t + b_a} and {@code W_c u_t + b_c}:
 *
 * <pre>
 *   a = sigma(projA + r_a * h_{t-1})      c = tanh(projC + r_c * h_{t-1})
 *   h_t = h_{t-1} + a (c - h_{t-1})
 *   g^a = a (1 - a)(c - h_{t-1})          g^c = a (1 - c^2)
 *   d   = (1 - a) + g^a r_a + g^c r_c
 * </pre>
 *
 * Every array holds n values.
 */
public final class GatedStepCpu {
    private GatedStepCpu() {
    }

    /**
     * @param projA W_a u + b_a, read
     * @param projC W_c u + b_c, read
     * @param hPrev h_{t-1}, read
     * @param h     h_t, overwritten (may not be hPrev)
     * @param d     dh_t/dh_{t-1} (its diagonal), overwritten
     * @param gA    dh_t/dalpha_t, overwritten
     * @param gC    dh_t/dgamma_t, overwritten
     */
    public static void step(int n, float[] projA, float[] projC, float[] ra, float[] rc,
            float[] hPrev, float[] h, float[] d, float[] gA, float[] gC) {
        for (int i = 0; i < n; i++) {
            float hp = hPrev[i];
            float a = sigmoid(projA[i] + ra[i] * hp);
            float c = (float) Math.tanh(projC[i] + rc[i] * hp);
            float ga = a * (1 - a) * (c - hp);
            float gc = a * (1 - c * c);
            h[i] = hp + a * (c - hp);
            gA[i] = ga;
            gC[i] = gc;
            d[i] = (1 - a) + ga * ra[i] + gc * rc[i];
        }
    }

    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}
