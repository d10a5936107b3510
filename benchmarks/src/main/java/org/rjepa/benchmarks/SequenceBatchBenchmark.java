package org.rjepa.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a sweep of whole batches shares: one prepared {@link LearnerProblem} per trial,
 * trained once per invocation, its learning state reported beside the time. A subclass
 * holds the sweep's {@code @Param} lists and the JMH settings, and opens the problem.
 */
@State(Scope.Thread)
public abstract class SequenceBatchBenchmark {
    private LearnerProblem problem;

    /** The problem at this trial's sizes. */
    abstract LearnerProblem openProblem();

    @Setup
    public void open() {
        problem = openProblem();
    }

    @TearDown
    public void close() {
        problem.close();
    }

    @Benchmark
    public void sequenceBatch(LearningStateCounters counters, Blackhole sink) {
        sink.consume(problem.train());
        counters.stateBytesPerSequence = problem.stateBytesPerSequence();
    }
}
