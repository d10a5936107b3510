package org.rjepa.learning;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;

/**
 * Adam (Kingma and Ba, 2015) with bias correction:
 * {@code m <- b1 m + (1-b1) g}, {@code v <- b2 v + (1-b2) g^2},
 * {@code theta -= lr * mhat / (sqrt(vhat) + eps)}.
 */
public final class Adam implements Optimizer {
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final Parameters first;
    private final Parameters second;
    private long steps;

    public Adam(Dimensions dims, float lr, float beta1, float beta2, float eps) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.first = new Parameters(dims);
        this.second = new Parameters(dims);
    }

    @Override
    public void step(Parameters params, Parameters grad) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (lr * Math.sqrt(correction2) / correction1);
        float epsHat = (float) (eps * Math.sqrt(correction2));
        for (Block b : Block.values()) {
            float[] x = params.get(b);
            float[] g = grad.get(b);
            float[] m = first.get(b);
            float[] v = second.get(b);
            for (int i = 0; i < x.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                x[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) + epsHat);
            }
        }
    }

    public float lr() {
        return lr;
    }

    public float beta1() {
        return beta1;
    }

    public float beta2() {
        return beta2;
    }

    public float eps() {
        return eps;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, Parameters> state() {
        Map<String, Parameters> state = new LinkedHashMap<>();
        state.put("adam.m", first);
        state.put("adam.v", second);
        return state;
    }

    @Override
    public void restoreSteps(long steps) {
        this.steps = steps;
    }

    @Override
    public String name() {
        return "adam";
    }
}
