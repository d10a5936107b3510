package org.rjepa.learning;

/**
 * A batch of fixation sequences in double precision, for the reference learners.
 *
 * @param u          circuit inputs, [B][T][m]
 * @param s          saccade codes after each fixation, [B][T][ms]
 * @param z          target embeddings, [B][T][n]: constants, the gradient does not flow into
 *                   them; null when {@code liveTarget}
 * @param liveTarget the ablation guard {@code none}: targets are the live drive's memoryless
 *                   response {@code z = tanh(W_c [x ; 0] + b_c)} to the first {@code mx}
 *                   entries of {@code u}, and the gradient flows through them
 * @param varianceWeight   lambda_v of the vicreg term over the batch at each step (0: none),
 *                         on the predictions and, with live targets, on the targets
 * @param covarianceWeight lambda_c of the vicreg term (0: none)
 * @param varianceTarget   gamma, the spread the vicreg term's hinge asks of each dimension
 */
public record ReferenceBatch(double[][][] u, double[][][] s, double[][][] z, boolean liveTarget,
        double varianceWeight, double covarianceWeight, double varianceTarget) {
    /** A batch without the vicreg term. */
    public ReferenceBatch(double[][][] u, double[][][] s, double[][][] z, boolean liveTarget) {
        this(u, s, z, liveTarget, 0, 0, 1);
    }

    /** Whether the loss has the vicreg term. */
    public boolean vicreg() {
        return varianceWeight != 0 || covarianceWeight != 0;
    }

    public int batch() {
        return u.length;
    }

    public int steps() {
        return u[0].length;
    }
}
