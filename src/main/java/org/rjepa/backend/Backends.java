package org.rjepa.backend;

import org.rjepa.backend.cpu.CpuBpttLearner;
import org.rjepa.backend.cpu.CpuRfpLearner;
import org.rjepa.backend.cpu.CpuRtrlLearner;
import org.rjepa.io.BadInputException;
import org.rjepa.learning.Learner;
import org.rjepa.learning.TrainConfig;
import org.rjepa.model.Dimensions;

/** Makes the learner that a training config asks for. */
public final class Backends {
    private Backends() {
    }

    /** @param dims the circuit's sizes, dense or not as the config says */
    public static Learner learner(TrainConfig config, Dimensions dims) {
        if ("cuda".equals(config.device())) {
            throw new BadInputException("--device cuda: this build has no CUDA backend; use "
                    + "--device cpu.");
        }
        return cpuLearner(config.algorithm(), config.updateMode(), dims, config.threads());
    }

    /** The CPU learner of a rule by its command-line name. */
    public static Learner cpuLearner(String algorithm, org.rjepa.learning.UpdateMode mode,
            Dimensions dims, int threads) {
        switch (algorithm) {
            case "rfp":
                return new CpuRfpLearner(dims, threads);
            case "rtrl":
                return new CpuRtrlLearner(dims, threads);
            case "bptt":
                if (mode == org.rjepa.learning.UpdateMode.PER_STEP) {
                    throw new BadInputException("--algorithm bptt has no per-step update: its "
                            + "gradient exists only once a sequence is over; use --update "
                            + "per-sequence.");
                }
                return new CpuBpttLearner(dims, threads);
            default:
                throw new BadInputException("unknown --algorithm '" + algorithm
                        + "'; expected rfp, rtrl or bptt.");
        }
    }
}
