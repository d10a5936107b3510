package org.rjepa.fixation;

import org.rjepa.io.BadInputException;

/** The fixation policies by the names the command line uses. */
public final class Policies {
    /** The names {@link #byName} accepts. */
    public static final String NAMES = "uniform, random-walk";

    private Policies() {
    }

    /**
     * @param saccade the random walk's step in pixels (ignored by the others)
     */
    public static FixationPolicy byName(String name, double saccade) {
        switch (name) {
            case "uniform":
                return new UniformPolicy();
            case "random-walk":
                return new RandomWalkPolicy(saccade);
            default:
                throw new BadInputException("unknown fixation policy '" + name
                        + "'; expected one of " + NAMES + ".");
        }
    }
}
