package org.rjepa.model;

/**
 * The sizes of the circuit and predictor (DESIGN.md sections 2 to 4).
 *
 * @param n  hidden units, the size of {@code h}, {@code z} and {@code yhat}
 * @param m  circuit input size, {@code u = [x ; psi(p)]}
 * @param ms saccade code size, {@code psi_s(s)}
 * @param mx the leading {@code mx <= m} entries of {@code u} that are patch pixels {@code x};
 *           the target embedding reads only these
 * @param dense whether the circuit has the full recurrent matrices {@code V} (gate) and
 *           {@code U} (drive) of DESIGN.md section 3's dense variant, outside the class where
 *           RFP is exact
 */
public record Dimensions(int n, int m, int ms, int mx, boolean dense) {
    /** The diagonal circuit, the class where RFP is exact. */
    public Dimensions(int n, int m, int ms, int mx) {
        this(n, m, ms, mx, false);
    }

    public Dimensions {
        if (n <= 0 || m <= 0 || ms < 0 || mx < 0 || mx > m) {
            throw new IllegalArgumentException("bad dimensions n=" + n + " m=" + m + " ms=" + ms
                    + " mx=" + mx);
        }
    }

    /**
     * Number of circuit parameters: {@code P = 2nm + 4n}, and {@code 2n^2} more when dense
     * (the gate and drive blocks).
     */
    public int circuitParameters() {
        return 2 * n * m + 4 * n + (dense ? 2 * n * n : 0);
    }

    /** The same sizes with the dense recurrence on or off. */
    public Dimensions withDense(boolean on) {
        return new Dimensions(n, m, ms, mx, on);
    }
}
