package org.rjepa.backend;

import org.rjepa.backend.cpu.CpuBpttLearner;
import org.rjepa.backend.cpu.CpuRfpLearner;
import org.rjepa.backend.cpu.CpuRtrlLearner;
import org.rjepa.backend.cuda.CudaProbe;
import org.rjepa.backend.cuda.CudaRfpLearner;
import org.rjepa.backend.cuda.KernelImages;
import org.rjepa.io.BadInputException;
import org.rjepa.learning.Guard;
import org.rjepa.learning.Learner;
import org.rjepa.learning.TrainConfig;
import org.rjepa.learning.UpdateMode;
import org.rjepa.model.Dimensions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the learner that a training config asks for, on the device it asks for:
 * {@code cpu}; {@code cuda}, refused in one sentence when no GPU is usable; or {@code auto},
 * a GPU when one is usable and the CPU otherwise, with the reason in one line. A run on the
 * CPU never loads a JCuda class: {@code --device cpu} asks nothing of the GPU, and the probe
 * behind {@code auto} and {@code cuda} ({@link CudaProbe}) catches every failure.
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private Backends() {
    }

    /**
     * Where a run trains.
     *
     * @param device cpu or cuda
     * @param line   the choice in one line, with the reason when it is not what was asked
     */
    public record Choice(String device, String line) {
    }

    /** Chooses the device of a (validated) config; refuses {@code cuda} when it cannot be. */
    public static Choice choose(TrainConfig config) {
        String asked = config.device();
        if ("cpu".equals(asked)) {
            return new Choice("cpu", "cpu (as asked)");
        }
        String unsupported = cudaRefusal(config);
        if ("cuda".equals(asked) && unsupported != null) {
            throw new BadInputException("--device cuda: " + unsupported + ".");
        }
        String noGpu = !KernelImages.packaged()
                ? "this build has no CUDA kernels (nvcc was not on the PATH when it was built)"
                : null;
        CudaProbe.Status status = null;
        if (noGpu == null) {
            status = CudaProbe.status();
            noGpu = status.usable() ? null : status.reason();
        }
        if ("cuda".equals(asked)) {
            if (status == null) {
                throw new BadInputException("--device cuda: " + noGpu + "; rebuild with nvcc "
                        + "on the PATH, or use --device cpu or auto.");
            }
            if (noGpu != null) {
                throw new BadInputException("--device cuda: no usable GPU: " + noGpu
                        + "; use --device cpu or auto.");
            }
            return new Choice("cuda", "cuda: " + status.device() + ", driver "
                    + status.driver() + ", projections by " + status.gemm());
        }
        Choice choice;
        if (noGpu != null) {
            choice = new Choice("cpu", "cpu (auto: no usable GPU: " + noGpu + ")");
        } else if (unsupported != null) {
            choice = new Choice("cpu", "cpu (auto: " + unsupported + ")");
        } else {
            choice = new Choice("cuda", "cuda (auto): " + status.device() + ", driver "
                    + status.driver() + ", projections by " + status.gemm());
        }
        LOG.info("device {}", choice.line());
        return choice;
    }

    /** @param dims the circuit's sizes, dense or not as the config says */
    public static Learner learner(TrainConfig config, Dimensions dims) {
        if ("cuda".equals(choose(config).device())) {
            return CudaRfpLearner.open(dims);
        }
        return cpuLearner(config.algorithm(), config.updateMode(), dims, config.threads());
    }

    /** Why the CUDA backend cannot train this config, or null when it can. */
    private static String cudaRefusal(TrainConfig config) {
        if (!"rfp".equals(config.algorithm()) || !"diagonal".equals(config.recurrence())) {
            return "the CUDA backend trains --algorithm rfp on the diagonal circuit only; "
                    + "rtrl, bptt and --recurrence dense run on the CPU (--device cpu)";
        }
        if (config.guardMode() == Guard.VICREG) {
            return "the CUDA backend has the guards ema and none; --guard vicreg runs on the "
                    + "CPU (--device cpu)";
        }
        if (!"adam".equals(config.optimizer()) && !"sgd".equals(config.optimizer())) {
            return "the CUDA backend has the optimizers adam and sgd only";
        }
        return null;
    }

    /** The CPU learner of a rule by its command-line name. */
    public static Learner cpuLearner(String algorithm, UpdateMode mode, Dimensions dims,
            int threads) {
        switch (algorithm) {
            case "rfp":
                return new CpuRfpLearner(dims, threads);
            case "rtrl":
                return new CpuRtrlLearner(dims, threads);
            case "bptt":
                if (mode == UpdateMode.PER_STEP) {
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
