package org.rjepa.backend.cpu;

/**
 * One optimizer step over a flat parameter vector fused with the EMA of the target, float32:
 * the CPU twin of {@code optimizer_step.cu}. It computes exactly what
 * {@link org.rjepa.learning.Adam} or {@link org.rjepa.learning.SgdMomentum} followed by
 * {@link org.rjepa.model.Target#follow} compute, in one pass:
 *
 * <pre>
 *   grad = (1/B) sum_c partial[c]                        (chunks in order)
 *   Adam: m = b1 m + (1-b1) g   v = b2 v + (1-b2) g^2   x -= stepSize m / (sqrt(v) + epsHat)
 *   SGD:  v = mu v + g          x -= lr v
 *   then  bar = tau bar + (1 - tau) x   over x[barStart, barStart + bar.length)
 * </pre>
 *
 * The target follows only with the guard {@code ema} ({@code follows}).
 */
public final class OptimizerStepCpu {
    private OptimizerStepCpu() {
    }

    /**
     * Adam's bias correction folded into the step: {@code {stepSize, epsHat}} at step
     * {@code steps} (1 for the first), as {@link org.rjepa.learning.Adam} computes them.
     */
    public static float[] adamScale(float lr, float beta1, float beta2, float eps, long steps) {
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        return new float[] {(float) (lr * Math.sqrt(correction2) / correction1),
            (float) (eps * Math.sqrt(correction2))};
    }

    /**
     * @param partial C vectors of P, read and then cleared
     * @param grad    P, overwritten
     */
    public static void mean(int C, int P, int B, float[][] partial, float[] grad) {
        float inverse = 1f / B;
        for (int p = 0; p < P; p++) {
            float sum = 0;
            for (int c = 0; c < C; c++) {
                sum += inverse * partial[c][p];
                partial[c][p] = 0;
            }
            grad[p] = sum;
        }
    }

    /**
     * @param x      P, updated in place
     * @param g      P, read
     * @param first  P, updated in place
     * @param second P, updated in place
     * @param bar    the target, updated in place when {@code follows}
     */
    public static void adam(float[] x, float[] g, float[] first, float[] second, float beta1,
            float beta2, float stepSize, float epsHat, float[] bar, int barStart, float tau,
            boolean follows) {
        for (int p = 0; p < x.length; p++) {
            float gp = g[p];

            // the moments
            float m = beta1 * first[p] + (1 - beta1) * gp;
            float v = beta2 * second[p] + (1 - beta2) * gp * gp;
            first[p] = m;
            second[p] = v;

            // the step, then the target
            float moved = x[p] - stepSize * m / ((float) Math.sqrt(v) + epsHat);
            x[p] = moved;
            follow(p, moved, bar, barStart, tau, follows);
        }
    }

    /** Heavy-ball momentum, then the target as in {@link #adam}. */
    public static void sgd(float[] x, float[] g, float[] velocity, float lr, float momentum,
            float[] bar, int barStart, float tau, boolean follows) {
        for (int p = 0; p < x.length; p++) {
            float v = momentum * velocity[p] + g[p];
            velocity[p] = v;
            float moved = x[p] - lr * v;
            x[p] = moved;
            follow(p, moved, bar, barStart, tau, follows);
        }
    }

    private static void follow(int p, float x, float[] bar, int barStart, float tau,
            boolean follows) {
        if (follows && p >= barStart && p < barStart + bar.length) {
            int k = p - barStart;
            bar[k] = tau * bar[k] + (1f - tau) * x;
        }
    }
}
