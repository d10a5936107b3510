package org.rjepa.fixation;

import java.util.SplittableRandom;
import org.rjepa.data.ImageSet;

/**
 * Where the eye looks: a sequence of patch centres on one image. Centres are continuous, in
 * pixels, with pixel centres at integer coordinates, so that a centre lies in
 * {@code [0, width-1] x [0, height-1]}. Every policy is deterministic for a given random stream.
 * A policy sees the image it looks at: most read only its size, saliency reads its pixels and
 * a recorded scanpath its index.
 */
public interface FixationPolicy {
    /**
     * Writes {@code x.length} fixation centres on image {@code image} of {@code images}.
     *
     * @param x overwritten with the column of each centre, in {@code [0, width-1]}
     * @param y overwritten with the row of each centre, in {@code [0, height-1]}
     */
    void centres(ImageSet images, int image, SplittableRandom random, double[] x, double[] y);

    /**
     * Refuses, with one sentence, a policy that cannot look at these images (a recorded
     * scanpath that names images or positions they do not have).
     *
     * @param images the data set as read, before any split
     */
    default void check(ImageSet images) {
    }

    /**
     * The images this policy can look at, in their order: all of them, but for a recorded
     * scanpath, which gives fixations for some images only.
     */
    default ImageSet looksAt(ImageSet images) {
        return images;
    }

    /** The policy's name as the command line spells it. */
    String name();
}
