package org.rjepa.backend.cpu;

import static org.rjepa.model.Block.ba;
import static org.rjepa.model.Block.bc;
import static org.rjepa.model.Block.bp;
import static org.rjepa.model.Block.ra;
import static org.rjepa.model.Block.rc;

import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;

/**
 * The parts of a fixation step that every learner shares, composed from the kernels: the
 * circuit's step from {@code u_t} (with the dense variant's {@code V h_{t-1}} and
 * {@code U h_{t-1}}), the prediction and error of a step with a loss term, and the error's
 * back-projection. Each acts on one sequence's {@link SequenceState}.
 */
final class CircuitStepCpu {
    private CircuitStepCpu() {
    }

    /**
     * The gated step: h_t, d_t (the diagonal of J_t), g^a_t and g^c_t from h_{t-1} and u_t.
     */
    static void advance(Dimensions dims, RowWeights w, Parameters p, float[] u,
            SequenceState s) {
        int n = dims.n();
        ProjectionCpu.project(n, dims.m(), w.WaT, p.get(ba), u, s.projA);
        ProjectionCpu.project(n, dims.m(), w.WcT, p.get(bc), u, s.projC);
        if (dims.dense()) {
            for (int k = 0; k < n; k++) {
                ProjectionCpu.axpy(n, s.hPrev[k], w.VT[k], s.projA);
                ProjectionCpu.axpy(n, s.hPrev[k], w.UT[k], s.projC);
            }
        }
        GatedStepCpu.step(n, s.projA, s.projC, p.get(ra), p.get(rc), s.hPrev, s.h, s.d, s.gA,
                s.gC);
        if (dims.dense()) {
            for (int i = 0; i < n; i++) {
                s.d[i] += s.gA[i] * w.Vdiag[i] + s.gC[i] * w.Udiag[i];
            }
        }
    }

    /**
     * Embeds the next fixation's target, predicts it from h_t (kept in {@code s.yhat}), forms
     * e_t and, with live targets, adds the target's gradient into {@code grad}. The error may
     * then gain a term of the whole batch (vicreg) before {@link #backProject}.
     *
     * @return the step's loss term
     */
    static double predict(Dimensions dims, RowWeights w, Parameters p, float[] bcTarget,
            boolean liveTarget, float[] uNext, float[] saccade, int T, SequenceState s,
            RowGradient grad) {
        int n = dims.n();
        TargetEmbeddingCpu.embed(n, dims.mx(), w.targetT, bcTarget, uNext, s.z);
        PredictionErrorCpu.predict(n, dims.ms(), w.PhT, w.PsT, p.get(bp), s.h, saccade, s.yhat);
        System.arraycopy(s.yhat, 0, s.e, 0, n);
        double loss = PredictionErrorCpu.error(n, s.e, s.z, T);
        if (liveTarget) {
            TargetEmbeddingCpu.addGradient(n, dims.mx(), s.e, s.z, uNext, grad.dWc, grad.dbc);
        }
        return loss;
    }

    /** delta_t = P_h^T e_t and the predictor's gradient into {@code grad}. */
    static void backProject(Dimensions dims, RowWeights w, float[] saccade, SequenceState s,
            RowGradient grad) {
        PredictionErrorCpu.backProject(dims.n(), dims.ms(), w.PhRows, s.e, s.h, saccade, s.delta,
                grad.dPh, grad.dPs, grad.dbp);
    }
}
