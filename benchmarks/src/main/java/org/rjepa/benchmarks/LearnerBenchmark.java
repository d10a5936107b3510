package org.rjepa.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The three learning rules side by side as n grows, at sizes that all three can afford.
 *
 * <p>{@link #sequenceBatch} times the gradient of a whole batch of B sequences of T
 * fixations; {@link #oneFixation} times a batch of two-fixation sequences, a single
 * fixation with a loss term, the per-step cost of each rule without the length of the
 * sequence in it. Both train a prepared {@link LearnerProblem} whose update does nothing,
 * so every invocation repeats the same work. Each reports the learner's state per sequence
 * in {@link LearningStateCounters}; run with {@code -prof gc} for the allocation rate.
 *
 * <p>Why three classes. RTRL costs {@code n^2 P} per fixation with {@code P ~ 2nm}: about
 * 0.1 s at n = 128 on one core, and minutes per batch at n = 512, so it cannot share a
 * grid with n up to 512 or T up to 1000. JMH runs the whole cross product of a state's
 * {@code @Param} lists and cannot leave a combination out; throwing in {@code @Setup} shows
 * as a failed benchmark, and a no-op would put a fake row into the results. So each class
 * holds a cross product that its rules can afford: this one sweeps n where RTRL is
 * affordable, {@link SequenceLengthBenchmark} sweeps T at the smallest n, and
 * {@link WideCircuitBenchmark} takes RFP and BPTT to the n that RTRL cannot reach.
 * Together they give each rule's memory and time against n at T = 10 and against T at
 * n = 32.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class LearnerBenchmark {
    /** A batch of sequences of T fixations. */
    @State(Scope.Thread)
    public static class Sequences {
        @Param({"rfp", "rtrl", "bptt"})
        public String algorithm;
        @Param({"32", "64", "128"})
        public int n;
        @Param({"10"})
        public int T;
        @Param({"4"})
        public int batch;

        LearnerProblem problem;

        @Setup
        public void open() {
            problem = LearnerProblem.open(algorithm, n, T, batch, 1);
        }

        @TearDown
        public void close() {
            problem.close();
        }
    }

    /** A batch of sequences of two fixations: one loss term each. */
    @State(Scope.Thread)
    public static class OneFixation {
        @Param({"rfp", "rtrl", "bptt"})
        public String algorithm;
        @Param({"32", "64", "128"})
        public int n;
        @Param({"4"})
        public int batch;

        LearnerProblem problem;

        @Setup
        public void open() {
            problem = LearnerProblem.open(algorithm, n, 2, batch, 1);
        }

        @TearDown
        public void close() {
            problem.close();
        }
    }

    @Benchmark
    public void sequenceBatch(Sequences s, LearningStateCounters counters, Blackhole sink) {
        sink.consume(s.problem.train());
        counters.stateBytesPerSequence = s.problem.stateBytesPerSequence();
    }

    @Benchmark
    public void oneFixation(OneFixation s, LearningStateCounters counters, Blackhole sink) {
        sink.consume(s.problem.train());
        counters.stateBytesPerSequence = s.problem.stateBytesPerSequence();
    }

    // java -jar benchmarks/target/benchmarks.jar LearnerBenchmark -prof gc
    // or benchmarks/run for all three classes, the table and the plot.
}
