package org.rjepa.backend.cpu;

import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;

/** A gradient accumulator in the row form the kernels write: matrices as rows, vectors flat. */
final class RowGradient {
    final float[][] dWa;
    final float[][] dWc;
    final float[][] dPh;
    final float[][] dPs;
    final float[] dba;
    final float[] dra;
    final float[] dbc;
    final float[] drc;
    final float[] dbp;
    /** Dense only (no rows otherwise). */
    final float[][] dV;
    final float[][] dU;
    private final Dimensions dims;

    RowGradient(Dimensions d) {
        this.dims = d;
        int n = d.n();
        dWa = new float[n][d.m()];
        dWc = new float[n][d.m()];
        dPh = new float[n][n];
        dPs = new float[n][d.ms()];
        dba = new float[n];
        dra = new float[n];
        dbc = new float[n];
        drc = new float[n];
        dbp = new float[n];
        int dense = d.dense() ? n : 0;
        dV = new float[dense][n];
        dU = new float[dense][n];
    }

    /** {@code into += scale * this}, block by block (into is flat, row-major). */
    void addInto(Parameters into, float scale) {
        addRows(dWa, into.get(Block.Wa), scale);
        addRows(dWc, into.get(Block.Wc), scale);
        addRows(dPh, into.get(Block.Ph), scale);
        addRows(dPs, into.get(Block.Ps), scale);
        add(dba, into.get(Block.ba), 0, scale);
        add(dra, into.get(Block.ra), 0, scale);
        add(dbc, into.get(Block.bc), 0, scale);
        add(drc, into.get(Block.rc), 0, scale);
        add(dbp, into.get(Block.bp), 0, scale);
        addRows(dV, into.get(Block.V), scale);
        addRows(dU, into.get(Block.U), scale);
    }

    void clear() {
        for (float[][] rows : new float[][][] {dWa, dWc, dPh, dPs, dV, dU}) {
            for (float[] row : rows) {
                java.util.Arrays.fill(row, 0f);
            }
        }
        for (float[] v : new float[][] {dba, dra, dbc, drc, dbp}) {
            java.util.Arrays.fill(v, 0f);
        }
    }

    Dimensions dims() {
        return dims;
    }

    private static void addRows(float[][] rows, float[] flat, float scale) {
        for (int i = 0; i < rows.length; i++) {
            add(rows[i], flat, i * rows[i].length, scale);
        }
    }

    private static void add(float[] from, float[] to, int offset, float scale) {
        for (int j = 0; j < from.length; j++) {
            to[offset + j] += scale * from[j];
        }
    }
}
