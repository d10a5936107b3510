package org.rjepa.learning;

import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;

/** The double-precision twin of {@link Parameters}: one row-major array per {@link Block}. */
public final class DoubleParameters {
    private final Dimensions dims;
    private final double[][] blocks;

    public DoubleParameters(Dimensions dims) {
        this.dims = dims;
        this.blocks = new double[Block.values().length][];
        for (Block b : Block.values()) {
            blocks[b.ordinal()] = new double[b.size(dims)];
        }
    }

    public Dimensions dims() {
        return dims;
    }

    public double[] get(Block b) {
        return blocks[b.ordinal()];
    }

    public DoubleParameters copy() {
        DoubleParameters out = new DoubleParameters(dims);
        for (Block b : Block.values()) {
            System.arraycopy(get(b), 0, out.get(b), 0, b.size(dims));
        }
        return out;
    }

    public static DoubleParameters of(Parameters p) {
        DoubleParameters out = new DoubleParameters(p.dims());
        for (Block b : Block.values()) {
            float[] from = p.get(b);
            double[] to = out.get(b);
            for (int i = 0; i < from.length; i++) {
                to[i] = from[i];
            }
        }
        return out;
    }

    /** Each block's values scaled by {@code scale}, accumulated into {@code this}. */
    public void addScaled(DoubleParameters other, double scale) {
        for (Block b : Block.values()) {
            double[] x = get(b);
            double[] y = other.get(b);
            for (int i = 0; i < x.length; i++) {
                x[i] += scale * y[i];
            }
        }
    }
}
