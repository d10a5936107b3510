package org.rjepa.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;

import java.util.concurrent.atomic.AtomicLong;
import jcuda.driver.CUdeviceptr;

/**
 * Device memory owned by one holder and freed by {@link #close} (once, however often it is
 * called). Every allocation and free is counted, so that a test can check a run leaks none.
 */
final class DeviceBuffer implements AutoCloseable {
    private static final AtomicLong ALLOCATED = new AtomicLong();
    private static final AtomicLong FREED = new AtomicLong();

    final CUdeviceptr pointer = new CUdeviceptr();
    final long bytes;
    private boolean open;

    private DeviceBuffer(long bytes) {
        this.bytes = bytes;
        // cuMemAlloc refuses 0 bytes; an empty buffer still gets a real, tiny allocation
        cuMemAlloc(pointer, Math.max(bytes, 4));
        ALLOCATED.incrementAndGet();
        open = true;
    }

    static DeviceBuffer floats(long count) {
        return new DeviceBuffer(count * Float.BYTES);
    }

    static DeviceBuffer doubles(long count) {
        return new DeviceBuffer(count * Double.BYTES);
    }

    /** The address {@code floats} floats in. */
    CUdeviceptr at(long floats) {
        return pointer.withByteOffset(floats * Float.BYTES);
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            cuMemFree(pointer);
            FREED.incrementAndGet();
        }
    }

    /** Device allocations made so far in this process. */
    static long allocated() {
        return ALLOCATED.get();
    }

    /** Device frees made so far in this process. */
    static long freed() {
        return FREED.get();
    }
}
