package org.rjepa.learning;

import org.rjepa.io.BadInputException;

/** When the optimizer steps (DESIGN.md section 5). */
public enum UpdateMode {
    /** Accumulate over the sequence with fixed weights, then one step: the exact gradient. */
    PER_SEQUENCE("per-sequence"),
    /** Online, real-time learning: a step after every fixation from the current traces. */
    PER_STEP("per-step");

    private final String cliName;

    UpdateMode(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static UpdateMode byName(String name) {
        for (UpdateMode mode : values()) {
            if (mode.cliName.equals(name)) {
                return mode;
            }
        }
        throw new BadInputException("unknown update mode '" + name
                + "'; expected per-sequence or per-step.");
    }
}
