package org.rjepa.learning;

/** Training produced a non-finite loss or weights; the message names the step and a cause. */
public final class DivergenceException extends RuntimeException {
    private final long step;

    public DivergenceException(long step, String sentence) {
        super(sentence);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
