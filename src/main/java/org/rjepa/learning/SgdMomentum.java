package org.rjepa.learning;

import java.util.Map;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;

/**
 * Stochastic gradient descent with heavy-ball momentum:
 * {@code v <- mu v + g}, {@code theta -= lr v}.
 */
public final class SgdMomentum implements Optimizer {
    private final float lr;
    private final float momentum;
    private final Parameters velocity;
    private long steps;

    public SgdMomentum(Dimensions dims, float lr, float momentum) {
        this.lr = lr;
        this.momentum = momentum;
        this.velocity = new Parameters(dims);
    }

    @Override
    public void step(Parameters params, Parameters grad) {
        steps++;
        for (Block b : Block.values()) {
            float[] x = params.get(b);
            float[] g = grad.get(b);
            float[] v = velocity.get(b);
            for (int i = 0; i < x.length; i++) {
                v[i] = momentum * v[i] + g[i];
                x[i] -= lr * v[i];
            }
        }
    }

    public float lr() {
        return lr;
    }

    public float momentum() {
        return momentum;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, Parameters> state() {
        return Map.of("sgd.velocity", velocity);
    }

    @Override
    public void restoreSteps(long steps) {
        this.steps = steps;
    }

    @Override
    public String name() {
        return "sgd";
    }
}
