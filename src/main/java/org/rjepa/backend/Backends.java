package org.rjepa.backend;

import org.rjepa.backend.cpu.CpuRfpLearner;
import org.rjepa.learning.Learner;
import org.rjepa.learning.TrainConfig;
import org.rjepa.model.Dimensions;

/** Makes the learner that a training config asks for. */
public final class Backends {
    private Backends() {
    }

    public static Learner learner(TrainConfig config, Dimensions dims) {
        if (!"rfp".equals(config.algorithm()) || !"diagonal".equals(config.recurrence())) {
            throw new org.rjepa.io.BadInputException("--algorithm " + config.algorithm()
                    + " with --recurrence " + config.recurrence() + " is not available in this "
                    + "build; it trains rfp on the diagonal circuit.");
        }
        if ("cuda".equals(config.device())) {
            throw new org.rjepa.io.BadInputException("--device cuda: this build has no CUDA "
                    + "backend; use --device cpu.");
        }
        return new CpuRfpLearner(dims, config.threads());
    }
}
