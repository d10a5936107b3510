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
public class WideCircuitBenchmark extends SequenceBatchBenchmark {
    @Param({"rfp", "bptt"})
    public String algorithm;
    @Param({"256", "512"})
    public int n;
    @Param({"10"})
    public int T;
    @Param({"4"})
    public int batch;

    @Override
    LearnerProblem openProblem() {
        return LearnerProblem.open(algorithm, n, T, batch, 1);
    }
}
