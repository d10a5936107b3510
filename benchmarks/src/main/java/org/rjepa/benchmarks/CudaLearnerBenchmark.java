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
 * RFP on the GPU (the CUDA backend trains RFP on the diagonal circuit only) on the problems
 * of the CPU classes, at their sizes with B = 4 and at a batch that fills a GPU. Each
 * invocation is a whole batch: the weights and the batch copied in, T fixations of kernels,
 * the optimizer step and the copy back, synchronised before it returns. Time per fixation is
 * per sequence, as in the CPU rows, so the B = 4 rows compare with them directly.
 *
 * <p>{@code benchmarks/run} leaves this class out when {@code rjepa devices} finds no usable
 * GPU: its setup would fail on every row.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class CudaLearnerBenchmark extends SequenceBatchBenchmark {
    @Param({"rfp"})
    public String algorithm;
    @Param({"32", "128", "512"})
    public int n;
    @Param({"10", "1000"})
    public int T;
    @Param({"4", "256"})
    public int batch;

    @Override
    LearnerProblem openProblem() {
        return LearnerProblem.open(algorithm, "cuda", n, T, batch, 1);
    }
}
