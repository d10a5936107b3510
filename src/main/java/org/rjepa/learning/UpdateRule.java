package org.rjepa.learning;

import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * How the weights move once a gradient is formed: when ({@code mode}), by which optimizer,
 * and whether the target's exponential moving average follows (guard {@code ema}, rate
 * {@code tau}), and the weights and spread target gamma of the vicreg term when that is the guard.
 */
public record UpdateRule(UpdateMode mode, Guard guard, Optimizer optimizer, float tau,
        double varianceWeight, double covarianceWeight, double varianceTarget) {
    /** A rule without the vicreg term's weights (they matter only with that guard). */
    public UpdateRule(UpdateMode mode, Guard guard, Optimizer optimizer, float tau) {
        this(mode, guard, optimizer, tau, 0, 0, 1);
    }

    /** One optimizer step from the batch-mean gradient, then the target follows the drive. */
    public void apply(Parameters params, Target target, Parameters grad) {
        optimizer.step(params, grad);
        if (guard == Guard.EMA) {
            target.follow(params, tau);
        }
    }
}
