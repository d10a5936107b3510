package org.rjepa.backend.cuda;

import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;

/**
 * Launcher of {@code optimizer_step.cu}: the batch-mean gradient from the per-chunk sums, and
 * one Adam or SGD step over the whole parameter vector fused with the EMA of the target.
 * CPU twin: {@link org.rjepa.backend.cpu.OptimizerStepCpu}.
 */
final class OptimizerStepKernel {
    private final CUfunction mean;
    private final CUfunction adam;
    private final CUfunction sgd;

    OptimizerStepKernel(CudaDevice gpu) {
        this.mean = gpu.function("optimizer_step", "grad_mean");
        this.adam = gpu.function("optimizer_step", "adam_ema");
        this.sgd = gpu.function("optimizer_step", "sgd_ema");
    }

    /** grad = (1/B) sum_c partial[c] (overwritten); partial [C][P] cleared. */
    void mean(CUstream stream, int C, long P, int B, CUdeviceptr partial, CUdeviceptr grad) {
        new Launch(mean, "grad_mean C=" + C + " P=" + P)
                .i(C).l(P).f(1f / B).p(partial).p(grad).run1d(P, 1, stream);
    }

    /**
     * One Adam step (x, first, second updated in place; g read), then the target bar follows
     * x[barStart, barStart + barCount) when {@code follows}.
     */
    void adam(CUstream stream, long P, CUdeviceptr x, CUdeviceptr g, CUdeviceptr first,
            CUdeviceptr second, float beta1, float beta2, float stepSize, float epsHat,
            CUdeviceptr bar, long barStart, long barCount, float tau, boolean follows) {
        new Launch(adam, "adam_ema P=" + P)
                .l(P).p(x).p(g).p(first).p(second).f(beta1).f(beta2).f(stepSize).f(epsHat)
                .p(bar).l(barStart).l(barCount).f(tau).i(follows ? 1 : 0).run1d(P, 1, stream);
    }

    /** One SGD-with-momentum step, then the target as in {@link #adam}. */
    void sgd(CUstream stream, long P, CUdeviceptr x, CUdeviceptr g, CUdeviceptr velocity,
            float lr, float momentum, CUdeviceptr bar, long barStart, long barCount, float tau,
            boolean follows) {
        new Launch(sgd, "sgd_ema P=" + P)
                .l(P).p(x).p(g).p(velocity).f(lr).f(momentum).p(bar).l(barStart).l(barCount)
                .f(tau).i(follows ? 1 : 0).run1d(P, 1, stream);
    }
}
