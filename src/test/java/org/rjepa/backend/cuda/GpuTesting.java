package org.rjepa.backend.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import jcuda.Pointer;
import jcuda.driver.CUstream;
import org.rjepa.TestProblems;

/**
 * What the gpu-tagged tests share: the device, or the test skipped (not failed) when none is
 * usable; buffers filled from and read back into float arrays; the default stream.
 */
final class GpuTesting {
    /** The legacy default stream: every launch and copy of a test runs in order on it. */
    static final CUstream STREAM = new CUstream();

    private GpuTesting() {
    }

    /** The device, current on this thread; skips the test when there is no usable GPU. */
    static CudaDevice device() {
        CudaProbe.Status status = CudaProbe.status();
        assumeTrue(status.usable(), () -> "no usable GPU: " + status.reason());
        CudaDevice gpu = CudaDevice.get();
        gpu.makeCurrent();
        return gpu;
    }

    static DeviceBuffer upload(float[] values) {
        DeviceBuffer buffer = DeviceBuffer.floats(values.length);
        if (values.length > 0) {
            cuMemcpyHtoD(buffer.pointer, Pointer.to(values), (long) values.length * Float.BYTES);
        }
        return buffer;
    }

    /** Waits for the device, then reads {@code count} floats. */
    static float[] download(DeviceBuffer buffer, int count) {
        cuCtxSynchronize();
        float[] out = new float[count];
        if (count > 0) {
            cuMemcpyDtoH(Pointer.to(out), buffer.pointer, (long) count * Float.BYTES);
        }
        return out;
    }

    static double[] download(DeviceBuffer buffer, int count, boolean asDouble) {
        cuCtxSynchronize();
        double[] out = new double[count];
        if (count > 0) {
            cuMemcpyDtoH(Pointer.to(out), buffer.pointer, (long) count * Double.BYTES);
        }
        return out;
    }

    static float[] random(int count, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) (scale * random.nextGaussian());
        }
        return out;
    }

    /** Values in (lo, hi), for gates and decays. */
    static float[] uniform(int count, double lo, double hi, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return out;
    }

    /** Rows r of the flat x, each {@code cols} long, starting at {@code offset + r*stride}. */
    static float[] row(float[] x, int offset, int cols) {
        return java.util.Arrays.copyOfRange(x, offset, offset + cols);
    }

    static double[] d(float[] x) {
        return TestProblems.toDouble(x);
    }
}
