package org.rjepa.backend.cpu;

import org.rjepa.fixation.FixationBatch;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;

/**
 * RFP training on the CPU in float32 (DESIGN.md section 5): at each fixation every sequence
 * moves its traces, fused with the gradient, once its error is formed.
 * On the dense circuit the traces decay by the diagonal of J_t alone: the diagonal
 * approximation.
 *
 * <p>Learning state: per sequence, the traces {@code E^{Wa}, E^{Wc}} (n x m each) and
 * {@code e^{ba}, e^{ra}, e^{bc}, e^{rc}} (n each), {@code 2nm + 4n} floats whatever T is,
 * and {@code E^V, E^U} (n x n each) more when dense.
 */
public final class CpuRfpLearner extends CpuLearner {
    public CpuRfpLearner(Dimensions dims, int threads) {
        super(dims, threads);
    }

    @Override
    SequenceState newSequence() {
        return new SequenceState(dims, true);
    }

    @Override
    void learn(int b, int t, FixationBatch batch, Parameters p, RowGradient grad, int chunk) {
        SequenceState s = sequences[b];
        float[] u = batch.u(b, t);
        int n = dims.n();
        int m = dims.m();
        // traces forward, fused with the gradient
        RfpTracesCpu.update(n, m, s.d, s.gA, s.hPrev, u, s.delta, s.EWa, s.eba, s.era,
                grad.dWa, grad.dba, grad.dra);
        RfpTracesCpu.update(n, m, s.d, s.gC, s.hPrev, u, s.delta, s.EWc, s.ebc, s.erc,
                grad.dWc, grad.dbc, grad.drc);
        if (dims.dense()) {
            RfpTracesCpu.updateMatrix(n, n, s.d, s.gA, s.hPrev, s.delta, s.EV, grad.dV);
            RfpTracesCpu.updateMatrix(n, n, s.d, s.gC, s.hPrev, s.delta, s.EU, grad.dU);
        }
    }

    /** The trace of {@code block} of sequence b after the last batch, flat, for tests. */
    public float[] trace(int b, Block block) {
        SequenceState s = sequences[b];
        switch (block) {
            case Wa:
                return flatten(s.EWa);
            case Wc:
                return flatten(s.EWc);
            case ba:
                return s.eba.clone();
            case ra:
                return s.era.clone();
            case bc:
                return s.ebc.clone();
            case rc:
                return s.erc.clone();
            case V:
                return flatten(s.EV);
            case U:
                return flatten(s.EU);
            default:
                throw new IllegalArgumentException(block + " has no trace");
        }
    }

    /** Bytes of RFP learning state (the traces) per sequence, counted from the arrays. */
    @Override
    public long stateBytesPerSequence() {
        return sequences.length == 0 ? 0 : sequences[0].traceFloats() * Float.BYTES;
    }

    @Override
    public String algorithm() {
        return "rfp";
    }
}
