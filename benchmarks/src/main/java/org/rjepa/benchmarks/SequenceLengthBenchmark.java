package org.rjepa.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Warmup;

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
public class SequenceLengthBenchmark extends SequenceBatchBenchmark {
    @Param({"rfp", "rtrl", "bptt"})
    public String algorithm;
    @Param({"32"})
    public int n;
    @Param({"100", "1000"})
    public int T;
    @Param({"4"})
    public int batch;

    @Override
    LearnerProblem openProblem() {
        return LearnerProblem.open(algorithm, n, T, batch, 1);
    }
}
