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
 * The three learning rules on longer sequences at the smallest n: BPTT stores every step, so
 * its state grows with T, while RFP's traces and RTRL's sensitivity do not. T = 10 at n = 32
 * is {@link LearnerBenchmark}'s row and is not repeated here. One invocation of RTRL at
 * T = 1000 takes seconds, so this class warms up once and measures three times; see
 * {@link LearnerBenchmark} for why the sweeps are separate classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@State(Scope.Thread)
public class SequenceLengthBenchmark {
    @Param({"rfp", "rtrl", "bptt"})
    public String algorithm;
    @Param({"32"})
    public int n;
    @Param({"100", "1000"})
    public int T;
    @Param({"4"})
    public int batch;

    private LearnerProblem problem;

    @Setup
    public void open() {
        problem = LearnerProblem.open(algorithm, n, T, batch, 1);
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
