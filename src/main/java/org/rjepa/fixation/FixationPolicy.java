package org.rjepa.fixation;

import java.util.SplittableRandom;

/**
 * Where the eye looks: a sequence of patch centres on one image. Centres are continuous, in
 * pixels, with pixel centres at integer coordinates, so that a centre lies in
 * {@code [0, width-1] x [0, height-1]}. Every policy is deterministic for a given random stream.
 */
public interface FixationPolicy {
    /**
     * Writes {@code x.length} fixation centres.
     *
     * @param x overwritten with the column of each centre, in {@code [0, width-1]}
     * @param y overwritten with the row of each centre, in {@code [0, height-1]}
     */
    void centres(int height, int width, SplittableRandom random, double[] x, double[] y);

    /** The policy's name as the command line spells it. */
    String name();
}
