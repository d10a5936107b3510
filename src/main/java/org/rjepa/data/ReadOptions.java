package org.rjepa.data;

import java.util.function.Consumer;

/**
 * How a source turns what it finds into one fixed-size set.
 *
 * @param imageSize the side S every image is scaled and centre-cropped to, or 0 to keep the
 *                  size the images have (the smallest shorter side when they differ)
 * @param minSide   the smallest side an image may have (the patch side); a smaller image is
 *                  bad input unless {@code imageSize} scales it up
 * @param skipBad   skip a bad image of a folder with a notice instead of refusing the folder
 * @param notices   receives one sentence per thing the user should know (a skipped image, a
 *                  size chosen for them); the library never prints, the caller decides
 */
public record ReadOptions(int imageSize, int minSide, boolean skipBad,
        Consumer<String> notices) {
    /** Sizes kept, every side allowed, nothing skipped, notices dropped. */
    public static final ReadOptions DEFAULT = new ReadOptions(0, 1, false, notice -> { });

    public ReadOptions {
        if (imageSize < 0 || minSide < 1) {
            throw new IllegalArgumentException("imageSize " + imageSize + ", minSide "
                    + minSide);
        }
    }
}
