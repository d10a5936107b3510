package org.rjepa.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The learner's learning state per sequence, reported beside the time as the secondary
 * result {@code stateBytesPerSequence}. It is a level, not a count: each invocation sets it
 * (it does not add), and it is cleared before each iteration, so every iteration reports the
 * bytes the learner holds. JMH's score for an EVENTS counter is the sum over iterations,
 * not a level, so {@link Report} reads the per-iteration values and checks that they agree.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class LearningStateCounters {
    /** Traces (RFP), sensitivities (RTRL) or stored activations (BPTT), bytes. */
    public long stateBytesPerSequence;

    @Setup(Level.Iteration)
    public void clear() {
        stateBytesPerSequence = 0;
    }
}
