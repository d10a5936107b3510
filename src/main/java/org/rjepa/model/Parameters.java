package org.rjepa.model;

import java.util.SplittableRandom;

/**
 * One float array per {@link Block}, row-major. Used for the weights, their gradients and
 * the optimizer's moments alike.
 */
public final class Parameters {
    private final Dimensions dims;
    private final float[][] blocks;

    public Parameters(Dimensions dims) {
        this.dims = dims;
        this.blocks = new float[Block.values().length][];
        for (Block b : Block.values()) {
            blocks[b.ordinal()] = new float[b.size(dims)];
        }
    }

    public Dimensions dims() {
        return dims;
    }

    public float[] get(Block b) {
        return blocks[b.ordinal()];
    }

    public Parameters copy() {
        Parameters out = new Parameters(dims);
        for (Block b : Block.values()) {
            System.arraycopy(get(b), 0, out.get(b), 0, b.size(dims));
        }
        return out;
    }

    public void fill(float value) {
        for (float[] block : blocks) {
            java.util.Arrays.fill(block, value);
        }
    }

    /** {@code this += scale * other}, block by block. */
    public void addScaled(Parameters other, float scale) {
        for (Block b : Block.values()) {
            float[] x = get(b);
            float[] y = other.get(b);
            for (int i = 0; i < x.length; i++) {
                x[i] += scale * y[i];
            }
        }
    }

    /** Largest |value| over all blocks; NaN when any value is NaN. */
    public double maxAbs() {
        double max = 0;
        for (float[] block : blocks) {
            for (float v : block) {
                if (Float.isNaN(v)) {
                    return Double.NaN;
                }
                max = Math.max(max, Math.abs(v));
            }
        }
        return max;
    }

    public boolean allFinite() {
        for (float[] block : blocks) {
            for (float v : block) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The initial weights of DESIGN.md section 4's calibration: {@code W_a, W_c ~ N(0, 1/m)},
     * {@code b_a = gateBias} (negative, so that gates start mostly closed), {@code r_a = 0},
     * {@code r_c = driveRecurrence}, {@code b_c = 0}, {@code P_h ~ N(0, 1/n)}, {@code P_s = 0},
     * {@code b_p = 0}; the dense variant's V and U start at 0, so that it starts as the
     * diagonal circuit and grows its off-diagonal recurrence by learning.
     */
    public static Parameters initial(Dimensions d, float gateBias, float driveRecurrence,
            SplittableRandom random) {
        Parameters p = new Parameters(d);
        gaussian(p.get(Block.Wa), 1.0 / Math.sqrt(d.m()), random);
        gaussian(p.get(Block.Wc), 1.0 / Math.sqrt(d.m()), random);
        gaussian(p.get(Block.Ph), 1.0 / Math.sqrt(d.n()), random);
        java.util.Arrays.fill(p.get(Block.ba), gateBias);
        java.util.Arrays.fill(p.get(Block.rc), driveRecurrence);
        return p;
    }

    private static void gaussian(float[] out, double std, SplittableRandom random) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (std * Gaussian.next(random));
        }
    }
}
