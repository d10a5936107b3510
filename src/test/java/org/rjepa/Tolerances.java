package org.rjepa;

/**
 * Every numeric tolerance of the test suite, in one place, with the reason for each.
 * Gradient errors are measured relative to the largest entry of their block, so that a
 * block of tiny entries is not judged by its rounding noise alone.
 */
public final class Tolerances {
    /** Loss and states of the double reference against the independent test vectors. */
    public static final double VECTOR_VALUE = 1e-12;
    /** Gradients of each double learner against the test vectors (relative to block max). */
    public static final double VECTOR_GRADIENT = 1e-10;
    /** Two exact double learners (RFP, RTRL, BPTT) against each other. */
    public static final double EXACT_RULES = 1e-9;
    /** BPTT against central finite differences in double precision (step 1e-5). */
    public static final double FINITE_DIFFERENCES = 1e-5;
    /**
     * The float32 fast path against the double reference. Sums of up to a few hundred
     * products in float32 carry a relative rounding of about 1e-6 each; through T steps of
     * traces this grows to the 1e-5 range, so 1e-4 leaves a margin without hiding a wrong
     * formula (a wrong term shows up at 1e-2 or more).
     */
    public static final double FLOAT_VALUE = 1e-4;
    /** Float32 gradients against the double reference, relative to the block's largest entry. */
    public static final double FLOAT_GRADIENT = 2e-4;

    /**
     * A CUDA kernel against its CPU twin in float32, relative to the block's largest entry.
     * Kernels are built without fused multiply-add and sum in the twin's order, so most
     * entries agree to the bit; expf and tanhf differ from Java's by a few ulp, and a
     * gradient summed per chunk rounds once more than the twin's running sum: 1e-5 is ten
     * times that, and a wrong index or term shows up at 1e-2 or more.
     */
    public static final double GPU_KERNEL = 1e-5;
    /**
     * A GPU training step against the CPU learner, relative to the block's largest entry:
     * the rounding of {@link #GPU_KERNEL} carried through T fixations of traces (and cuBLAS
     * summing in its own order), the same margin as {@link #FLOAT_GRADIENT}.
     */
    public static final double GPU_STEP = 2e-4;
    /**
     * A short GPU training's loss against the CPU one, batch by batch, relative: float32
     * rounding compounds through the optimizer over the run, but stays far below the loss's
     * own change from batch to batch (several percent).
     */
    public static final double GPU_LOSS_CURVE = 1e-2;

    private Tolerances() {
    }
}
