package org.rjepa.model;

/**
 * The parameter blocks, named as in DESIGN.md: the gate ({@code W_a, b_a, r_a}), the drive
 * ({@code W_c, b_c, r_c}) and the predictor ({@code P_h, P_s, b_p}). Matrices are row-major,
 * one row per hidden unit.
 */
public enum Block {
    Wa, ba, ra, Wc, bc, rc, Ph, Ps, bp;

    /** Rows of the block: always {@code n}. */
    public int rows(Dimensions d) {
        return d.n();
    }

    /** Columns: {@code m} for W_a and W_c, {@code n} for P_h, {@code ms} for P_s, else 1. */
    public int cols(Dimensions d) {
        switch (this) {
            case Wa:
            case Wc:
                return d.m();
            case Ph:
                return d.n();
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
        return ordinal() <= rc.ordinal();
    }
}
