package org.rjepa.backend.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jcuda.driver.CUevent;
import jcuda.driver.CUstream;
import org.rjepa.io.AtomicFiles;

/**
 * The RFP trace kernel's achieved memory bandwidth against the device's own copy bandwidth,
 * for the GPU check ({@code scripts/gpu-check run}). The copy bandwidth is a device-to-device
 * copy of 1 GiB (read plus write bytes over the time, best of 10). The kernel's bytes per
 * launch are what it must move at least: every trace read and written once
 * ({@code 2 * B * 2Q} floats), each chunk's gradient read and written once, and the small
 * per-sequence vectors. Sizes whose traces fit in the L2 cache would measure the cache, so
 * the larger shapes are the ones that count; the default training shape is listed too.
 *
 * <p>Usage: {@code RfpTracesBenchmark OUT_DIR}; prints a table and writes
 * {@code OUT_DIR/rfp-traces-bandwidth.json}.
 */
public final class RfpTracesBenchmark {
    private static final int REPEATS = 20;

    private RfpTracesBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args.length > 0 ? args[0] : ".");
        CudaProbe.Status status = CudaProbe.status();
        PrintWriter print = new PrintWriter(System.out, true);
        if (!status.usable()) {
            print.println("rfp-traces benchmark: no usable GPU: " + status.reason() + ".");
            System.exit(3);
        }
        CudaDevice gpu = CudaDevice.get();
        gpu.makeCurrent();
        CUstream stream = new CUstream();
        double copy = copyBandwidth(stream);

        int[][] shapes = {{64, 128, 72}, {256, 256, 200}, {512, 512, 136}, {1024, 256, 264}};
        List<String> rows = new ArrayList<>();
        print.println(String.format(Locale.ROOT, "device %s, driver %s, copy bandwidth %.1f GB/s",
                status.device(), status.driver(), copy / 1e9));
        print.println("     B     n     m   traces MiB    time us    GB/s   of copy");
        RfpTracesKernel kernel = new RfpTracesKernel(gpu);
        for (int[] shape : shapes) {
            int B = shape[0];
            int n = shape[1];
            int m = shape[2];
            int chunk = CudaRfpLearner.CHUNK;
            int C = (B + chunk - 1) / chunk;
            long Q = RfpTracesKernel.blockFloats(n, m);
            long P = 2 * Q;
            try (DeviceBuffer traces = DeviceBuffer.floats(B * 2 * Q);
                    DeviceBuffer partial = DeviceBuffer.floats(C * P);
                    DeviceBuffer vectors = DeviceBuffer.floats(6L * B * n);
                    DeviceBuffer u = DeviceBuffer.floats((long) B * m)) {
                cuMemsetD32Async(traces.pointer, 0, B * 2 * Q, stream);
                cuMemsetD32Async(partial.pointer, 0, C * P, stream);
                cuMemsetD32Async(vectors.pointer, Float.floatToIntBits(0.5f), 6L * B * n,
                        stream);
                cuMemsetD32Async(u.pointer, Float.floatToIntBits(0.25f), (long) B * m, stream);
                long rowsN = (long) B * n;
                Runnable launch = () -> kernel.update(stream, B, chunk, n, m,
                        vectors.at(0), vectors.at(rowsN), vectors.at(2 * rowsN),
                        vectors.at(3 * rowsN), u.pointer, m, vectors.at(4 * rowsN),
                        traces.pointer, partial.pointer, P);
                double seconds = best(stream, launch);
                double bytes = 4.0 * (2.0 * B * 2 * Q + 2.0 * C * P + 5.0 * B * n
                        + (double) B * m);
                double rate = bytes / seconds;
                print.println(String.format(Locale.ROOT, "%6d%6d%6d%13.1f%11.1f%8.1f%10.2f", B,
                        n, m, B * 2 * Q * 4.0 / (1 << 20), seconds * 1e6, rate / 1e9,
                        rate / copy));
                rows.add(String.format(Locale.ROOT, "{\"B\": %d, \"n\": %d, \"m\": %d, "
                        + "\"traces_bytes\": %d, \"seconds\": %.9f, \"bytes_per_s\": %.6e, "
                        + "\"fraction_of_copy\": %.4f}", B, n, m, B * 2 * Q * 4, seconds, rate,
                        rate / copy));
            }
        }
        String json = String.format(Locale.ROOT, "{\"device\": \"%s\", \"driver\": \"%s\", "
                + "\"copy_bytes_per_s\": %.6e, \"shapes\": [%n  %s%n]}%n", status.device(),
                status.driver(), copy, String.join(",\n  ", rows));
        AtomicFiles.writeString(out.resolve("rfp-traces-bandwidth.json"), json);
    }

    /** Device-to-device copy of 1 GiB: (read + write bytes) / time, best of 10. */
    private static double copyBandwidth(CUstream stream) {
        long bytes = 1L << 30;
        try (DeviceBuffer a = DeviceBuffer.floats(bytes / 4);
                DeviceBuffer b = DeviceBuffer.floats(bytes / 4)) {
            cuMemsetD32Async(a.pointer, 0, bytes / 4, stream);
            double seconds = best(stream, () -> cuMemcpyDtoDAsync(b.pointer, a.pointer, bytes,
                    stream));
            return 2.0 * bytes / seconds;
        }
    }

    /** The shortest of {@value #REPEATS} timed runs, after two to warm up, in seconds. */
    private static double best(CUstream stream, Runnable work) {
        CUevent start = new CUevent();
        CUevent stop = new CUevent();
        cuEventCreate(start, 0);
        cuEventCreate(stop, 0);
        float best = Float.MAX_VALUE;
        float[] ms = new float[1];
        for (int k = 0; k < REPEATS + 2; k++) {
            cuEventRecord(start, stream);
            work.run();
            cuEventRecord(stop, stream);
            cuEventSynchronize(stop);
            cuEventElapsedTime(ms, start, stop);
            if (k >= 2) {
                best = Math.min(best, ms[0]);
            }
        }
        cuEventDestroy(start);
        cuEventDestroy(stop);
        return best * 1e-3;
    }
}
