package org.rjepa.learning;

/** What a training run tells its caller as it goes; the library itself prints nothing. */
public interface TrainingListener {
    /** After each batch. */
    default void progress(long step, long steps) {
    }

    /** At step 0, every report interval and the last step. */
    default void report(Report report) {
    }
}
