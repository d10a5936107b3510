package org.rjepa.backend.cpu;

import org.rjepa.model.Dimensions;

/**
 * What one sequence carries through the fixations on the CPU: the state, the step's
 * intermediates and the RFP traces. Every vector holds n values.
 */
final class SequenceState {
    /** h_t (written by the step) and h_{t-1} (read); swapped after each fixation. */
    float[] h;
    float[] hPrev;
    /** W_a u + b_a and W_c u + b_c. */
    final float[] projA;
    final float[] projC;
    /** dh_t/dh_{t-1}, g^a_t and g^c_t. */
    final float[] d;
    final float[] gA;
    final float[] gC;
    /** The next fixation's target, the prediction yhat_t, the error e_t and delta_t = P_h^T e_t. */
    final float[] z;
    final float[] yhat;
    final float[] e;
    final float[] delta;
    /** RFP traces: E^{Wa}, E^{Wc} (n rows of m) and e^{ba}, e^{ra}, e^{bc}, e^{rc}. */
    final float[][] EWa;
    final float[][] EWc;
    final float[] eba;
    final float[] era;
    final float[] ebc;
    final float[] erc;
    /** Dense only: the traces of V and U, n rows of n. */
    final float[][] EV;
    final float[][] EU;

    SequenceState(Dimensions dims, boolean traces) {
        int n = dims.n();
        h = new float[n];
        hPrev = new float[n];
        projA = new float[n];
        projC = new float[n];
        d = new float[n];
        gA = new float[n];
        gC = new float[n];
        z = new float[n];
        yhat = new float[n];
        e = new float[n];
        delta = new float[n];
        int rows = traces ? n : 0;
        EWa = new float[rows][dims.m()];
        EWc = new float[rows][dims.m()];
        eba = new float[rows];
        era = new float[rows];
        ebc = new float[rows];
        erc = new float[rows];
        int dense = traces && dims.dense() ? n : 0;
        EV = new float[dense][n];
        EU = new float[dense][n];
    }

    /** Back to h_0 = 0 with zero traces, for a new sequence. */
    void reset() {
        java.util.Arrays.fill(h, 0f);
        java.util.Arrays.fill(hPrev, 0f);
        for (float[][] trace : new float[][][] {EWa, EWc, EV, EU}) {
            for (float[] row : trace) {
                java.util.Arrays.fill(row, 0f);
            }
        }
        for (float[] v : new float[][] {eba, era, ebc, erc}) {
            java.util.Arrays.fill(v, 0f);
        }
    }

    /** h_t becomes h_{t-1} for the next fixation. */
    void advance() {
        float[] swap = hPrev;
        hPrev = h;
        h = swap;
    }

    /** Floats of RFP learning state held: the traces alone. */
    long traceFloats() {
        long floats = eba.length + era.length + ebc.length + erc.length;
        for (float[][] trace : new float[][][] {EWa, EWc, EV, EU}) {
            for (float[] row : trace) {
                floats += row.length;
            }
        }
        return floats;
    }
}
