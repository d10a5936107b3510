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

    private Tolerances() {
    }
}
