package org.rjepa.model;

/**
 * The slowly moving copy of the drive weights that embeds target patches (DESIGN.md
 * section 4): {@code z = tanh(Wbar_c [x ; 0] + bbar_c)}, with {@code Wbar_c} (n x m) and
 * {@code bbar_c} (n) following {@code W_c, b_c} by an exponential moving average.
 */
public final class Target {
    /** Wbar_c, n x m row-major; only the first mx columns are read by the embedding. */
    public final float[] WcBar;
    /** bbar_c, n. */
    public final float[] bcBar;

    private Target(float[] WcBar, float[] bcBar) {
        this.WcBar = WcBar;
        this.bcBar = bcBar;
    }

    /** A target equal to the current drive weights. */
    public static Target copyOf(Parameters p) {
        return new Target(p.get(Block.Wc).clone(), p.get(Block.bc).clone());
    }

    public static Target of(float[] WcBar, float[] bcBar) {
        return new Target(WcBar, bcBar);
    }

    /** Whether every value is finite. */
    public boolean allFinite() {
        for (float v : WcBar) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        for (float v : bcBar) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** {@code Wbar <- tau Wbar + (1 - tau) W}, and the same for the bias. */
    public void follow(Parameters p, float tau) {
        follow(WcBar, p.get(Block.Wc), tau);
        follow(bcBar, p.get(Block.bc), tau);
    }

    private static void follow(float[] bar, float[] live, float tau) {
        float rest = 1f - tau;
        for (int i = 0; i < bar.length; i++) {
            bar[i] = tau * bar[i] + rest * live[i];
        }
    }
}
