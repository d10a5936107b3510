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
 * RFP and BPTT at the widths RTRL cannot reach on a CPU: at n = 512 its sensitivity alone
 * would be {@code 2nP} floats, about 300 MB per sequence, and one fixation
 * {@code n^2 P ~ 2 * 10^10} multiply-adds. Same T and batch as {@link LearnerBenchmark},
 * whose javadoc says why the sweeps are separate classes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
@State(Scope.Thread)
public class WideCircuitBenchmark {
    @Param({"rfp", "bptt"})
    public String algorithm;
    @Param({"256", "512"})
    public int n;
    @Param({"10"})
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
