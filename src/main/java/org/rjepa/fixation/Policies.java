package org.rjepa.fixation;

import org.rjepa.io.BadInputException;

/** The fixation policies by the names the command line uses. */
public final class Policies {
    /** The names {@link #byName} accepts. */
    public static final String NAMES = "uniform, random-walk, saliency, raster, scanpath:FILE";
    /** Width sigma of the saliency policy's inhibition of return, pixels. */
    public static final double INHIBITION = 4;

    private Policies() {
    }

    /**
     * @param saccade the random walk's step in pixels (ignored by the others)
     */
    public static FixationPolicy byName(String name, double saccade) {
        if (name.startsWith("scanpath:")) {
            String file = name.substring("scanpath:".length());
            if (file.isEmpty()) {
                throw new BadInputException("--policy scanpath:FILE needs a file name after "
                        + "the colon.");
            }
            return ScanpathPolicy.read(java.nio.file.Path.of(file));
        }
        switch (name) {
            case "uniform":
                return new UniformPolicy();
            case "random-walk":
                return new RandomWalkPolicy(saccade);
            case "saliency":
                return new SaliencyPolicy(INHIBITION);
            case "raster":
                return new RasterPolicy();
            default:
                throw new BadInputException("unknown fixation policy '" + name
                        + "'; expected one of " + NAMES + ".");
        }
    }
}
