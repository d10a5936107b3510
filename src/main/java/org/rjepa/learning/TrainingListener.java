package org.rjepa.learning;

/** What a training run tells its caller as it goes; the library itself prints nothing. */
public interface TrainingListener {
    /** After each batch. */
    default void progress(long step, long steps) {
    }

    /** At step 0, every report interval and the last step. */
    default void report(Report report) {
    }

    /**
     * Every {@code --checkpoint-every} steps, after that step's report, with the weights, the
     * target and the optimizer at {@code step} and known to be finite.
     */
    default void checkpoint(long step) {
    }
}
