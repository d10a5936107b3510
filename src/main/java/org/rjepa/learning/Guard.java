package org.rjepa.learning;

import org.rjepa.io.BadInputException;

/** The collapse guard (DESIGN.md section 4). */
public enum Guard {
    /** Stop-gradient target through an exponential moving average of the drive weights. */
    EMA("ema"),
    /**
     * Live targets with the gradient through them, as with {@code none}, plus the vicreg
     * term over the batch at each step on the predictions and on the targets, which keeps
     * their spread ({@link Vicreg}).
     */
    VICREG("vicreg"),
    /** Ablation: the target uses the live weights and the gradient flows through it. */
    NONE("none");

    private final String cliName;

    Guard(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether targets come from the live drive weights, with the gradient through them. */
    public boolean liveTarget() {
        return this == NONE || this == VICREG;
    }

    public static Guard byName(String name) {
        for (Guard guard : values()) {
            if (guard.cliName.equals(name)) {
                return guard;
            }
        }
        throw new BadInputException("unknown collapse guard '" + name + "'; expected ema, "
                + "vicreg or none.");
    }
}
