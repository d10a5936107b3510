package org.rjepa.backend.cpu;

import static org.rjepa.model.Block.Ph;
import static org.rjepa.model.Block.Ps;
import static org.rjepa.model.Block.Wa;
import static org.rjepa.model.Block.Wc;

import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;

/**
 * The weights in the row form the kernels read, refreshed whenever the weights move: rows of
 * the transposes of W_a and W_c (m rows of n), of P_h (n of n), of P_s (ms of n) and of the
 * target drive's first mx columns (mx of n), and the rows of P_h itself for the
 * back-projection. Refreshing costs one pass over the weights, small beside a batch.
 */
final class RowWeights {
    final float[][] WaT;
    final float[][] WcT;
    final float[][] PhT;
    final float[][] PsT;
    final float[][] targetT;
    final float[][] PhRows;
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
    }
}
