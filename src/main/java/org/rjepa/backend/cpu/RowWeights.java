package org.rjepa.backend.cpu;

import static org.rjepa.model.Block.Ph;
import static org.rjepa.model.Block.Ps;
import static org.rjepa.model.Block.U;
import static org.rjepa.model.Block.V;
import static org.rjepa.model.Block.Wa;
import static org.rjepa.model.Block.Wc;

import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;

/**
 * The weights in the row form the kernels read, refreshed whenever the weights move: rows of
 * the transposes of W_a and W_c (m rows of n), of P_h (n of n), of P_s (ms of n) and of the
 * target drive's first mx columns (mx of n), and the rows of P_h itself for the
 * back-projection; on the dense circuit also the rows of V^T and U^T (n of n), their
 * diagonals, and the rows of V and U. Refreshing costs one pass over the weights, small
 * beside a batch.
 */
final class RowWeights {
    final float[][] WaT;
    final float[][] WcT;
    final float[][] PhT;
    final float[][] PsT;
    final float[][] targetT;
    final float[][] PhRows;
    /** Dense only (empty otherwise): V^T, U^T, V, U as rows and diag(V), diag(U). */
    final float[][] VT;
    final float[][] UT;
    final float[][] VRows;
    final float[][] URows;
    final float[] Vdiag;
    final float[] Udiag;
    private final Dimensions dims;

    RowWeights(Dimensions dims) {
        this.dims = dims;
        int n = dims.n();
        this.WaT = new float[dims.m()][n];
        this.WcT = new float[dims.m()][n];
        this.PhT = new float[n][n];
        this.PsT = new float[dims.ms()][n];
        this.targetT = new float[dims.mx()][n];
        this.PhRows = new float[n][n];
        int dense = dims.dense() ? n : 0;
        this.VT = new float[dense][n];
        this.UT = new float[dense][n];
        this.VRows = new float[dense][n];
        this.URows = new float[dense][n];
        this.Vdiag = new float[dense];
        this.Udiag = new float[dense];
    }

    /** @param WcTarget the n x m drive weights the targets use (Wbar_c, or W_c when live) */
    void refresh(Parameters p, float[] WcTarget) {
        int n = dims.n();
        int m = dims.m();
        ProjectionCpu.transpose(n, m, m, p.get(Wa), WaT);
        ProjectionCpu.transpose(n, m, m, p.get(Wc), WcT);
        ProjectionCpu.transpose(n, n, n, p.get(Ph), PhT);
        ProjectionCpu.transpose(n, dims.ms(), dims.ms(), p.get(Ps), PsT);
        ProjectionCpu.transpose(n, dims.mx(), m, WcTarget, targetT);
        ProjectionCpu.rows(n, n, p.get(Ph), PhRows);
        if (dims.dense()) {
            ProjectionCpu.transpose(n, n, n, p.get(V), VT);
            ProjectionCpu.transpose(n, n, n, p.get(U), UT);
            ProjectionCpu.rows(n, n, p.get(V), VRows);
            ProjectionCpu.rows(n, n, p.get(U), URows);
            for (int i = 0; i < n; i++) {
                Vdiag[i] = p.get(V)[i * n + i];
                Udiag[i] = p.get(U)[i * n + i];
            }
        }
    }
}
