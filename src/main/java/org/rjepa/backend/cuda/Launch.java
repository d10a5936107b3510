package org.rjepa.backend.cuda;

import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.util.ArrayList;
import java.util.List;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;

/**
 * One kernel launch: its arguments in the kernel's order, then {@link #run} on a stream. A
 * failure names the kernel, the grid and the shapes. With {@code RJEPA_CUDA_SYNC=1} every
 * launch is followed by a synchronisation, so that an error surfaces at the launch that
 * caused it rather than at the next copy.
 */
final class Launch {
    /** Threads per block of the one-dimensional kernels. */
    static final int THREADS = 256;
    private static final boolean SYNC = System.getenv("RJEPA_CUDA_SYNC") != null;

    private final CUfunction function;
    private final String what;
    private final List<Pointer> args = new ArrayList<>();

    /** @param what the kernel and its shapes, for error messages */
    Launch(CUfunction function, String what) {
        this.function = function;
        this.what = what;
    }

    Launch i(int value) {
        args.add(Pointer.to(new int[] {value}));
        return this;
    }

    /** A {@code long long} argument. */
    Launch l(long value) {
        args.add(Pointer.to(new long[] {value}));
        return this;
    }

    Launch f(float value) {
        args.add(Pointer.to(new float[] {value}));
        return this;
    }

    Launch p(CUdeviceptr pointer) {
        args.add(Pointer.to(pointer));
        return this;
    }

    /** One thread per item over {@code items}, in blocks of {@value #THREADS}; none for 0. */
    void run1d(long items, int gridY, CUstream stream) {
        if (items <= 0 || gridY <= 0) {
            return;
        }
        long blocks = (items + THREADS - 1) / THREADS;
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + ": " + items + " threads is too many");
        }
        run((int) blocks, gridY, THREADS, 1, stream);
    }

    void run(int gridX, int gridY, int blockX, int blockY, CUstream stream) {
        try {
            cuLaunchKernel(function, gridX, gridY, 1, blockX, blockY, 1, 0, stream,
                    Pointer.to(args.toArray(new Pointer[0])), null);
            if (SYNC) {
                cuStreamSynchronize(stream);
            }
        } catch (CudaException e) {
            throw new IllegalStateException(what + " failed (grid " + gridX + "x" + gridY
                    + ", block " + blockX + "x" + blockY + "): " + e.getMessage(), e);
        }
    }
}
