package org.rjepa.learning;

import java.util.Map;
import org.rjepa.io.BadInputException;
import org.rjepa.model.Parameters;

/** A first-order optimizer over all parameter blocks, with state that a checkpoint can hold. */
public interface Optimizer {
    /** One step: {@code params} updated in place from {@code grad} (read). */
    void step(Parameters params, Parameters grad);

    /** Steps taken so far. */
    long steps();

    /** The state arrays by name (kept, not copied), for checkpoints. */
    Map<String, Parameters> state();

    /** Restores the step count after the state arrays have been filled in place. */
    void restoreSteps(long steps);

    String name();

    static Optimizer byName(String name, double lr, double momentum,
            org.rjepa.model.Dimensions dims) {
        switch (name) {
            case "adam":
                return new Adam(dims, (float) lr, 0.9f, 0.999f, 1e-8f);
            case "sgd":
                return new SgdMomentum(dims, (float) lr, (float) momentum);
            default:
                throw new BadInputException("unknown optimizer '" + name
                        + "'; expected adam or sgd.");
        }
    }
}
