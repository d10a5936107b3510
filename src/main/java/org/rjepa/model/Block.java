package org.rjepa.model;

/**
 * The parameter blocks, named as in DESIGN.md: the gate ({@code W_a, b_a, r_a}), the drive
 * ({@code W_c, b_c, r_c}), the predictor ({@code P_h, P_s, b_p}) and the dense variant's
 * recurrent matrices ({@code V} in the gate, {@code U} in the drive), which are empty (n x 0)
 * on the diagonal circuit. Matrices are row-major, one row per hidden unit.
 */
public enum Block {
    Wa, ba, ra, Wc, bc, rc, Ph, Ps, bp, V, U;

    /** Rows of the block: always {@code n}. */
    public int rows(Dimensions d) {
        return d.n();
    }

    /**
     * Columns: {@code m} for W_a and W_c, {@code n} for P_h, {@code ms} for P_s, {@code n} for
     * V and U when dense (0 otherwise), else 1.
     */
    public int cols(Dimensions d) {
        switch (this) {
            case Wa:
            case Wc:
                return d.m();
            case Ph:
                return d.n();
            case V:
            case U:
                return d.dense() ? d.n() : 0;
            case Ps:
                return d.ms();
            default:
                return 1;
        }
    }

    public int size(Dimensions d) {
        return rows(d) * cols(d);
    }

    /** Whether the block belongs to the recurrent circuit (and so has an RFP trace). */
    public boolean inCircuit() {
        return this != Ph && this != Ps && this != bp;
    }
}
