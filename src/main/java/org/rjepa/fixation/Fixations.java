package org.rjepa.fixation;

import org.rjepa.model.Dimensions;

/**
 * How sequences of fixations are made: the policy, the number of fixations {@code T}, the
 * patch side {@code k} and the number {@code L} of Fourier frequencies per axis.
 */
public record Fixations(FixationPolicy policy, int T, int k, int L) {
    public Fixations {
        if (T < 2) {
            throw new IllegalArgumentException("a sequence needs at least 2 fixations: " + T);
        }
        if (k < 1 || L < 0) {
            throw new IllegalArgumentException("bad patch side " + k + " or frequencies " + L);
        }
    }

    /** Patch values {@code m_x = k*k*C}. */
    public int patchSize(int channels) {
        return k * k * channels;
    }

    /** The circuit's dimensions for {@code n} hidden units and images of {@code channels}. */
    public Dimensions dimensions(int n, int channels) {
        int mx = patchSize(channels);
        return new Dimensions(n, mx + 4 * L, 4 * L, mx);
    }
}
