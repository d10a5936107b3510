package org.rjepa.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import jcuda.Pointer;

/**
 * Page-locked host memory, so that copies to and from the device run asynchronously on a
 * stream while the host goes on. Owned by one holder, freed by {@link #close}; counted like
 * {@link DeviceBuffer}.
 */
final class PinnedBuffer implements AutoCloseable {
    private static final AtomicLong ALLOCATED = new AtomicLong();
    private static final AtomicLong FREED = new AtomicLong();

    final Pointer pointer = new Pointer();
    final long bytes;
    /** The memory as a native-order view, bytes long. */
    final ByteBuffer view;
    private boolean open;

    PinnedBuffer(long bytes) {
        this.bytes = bytes;
        cuMemAllocHost(pointer, Math.max(bytes, 8));
        ALLOCATED.incrementAndGet();
        open = true;
        this.view = pointer.getByteBuffer(0, Math.max(bytes, 8)).order(ByteOrder.nativeOrder());
    }

    /** The address {@code offset} bytes in. */
    Pointer at(long offset) {
        return pointer.withByteOffset(offset);
    }

    @Override
    public void close() {
        if (open) {
            open = false;
            cuMemFreeHost(pointer);
            FREED.incrementAndGet();
        }
    }

    static long allocated() {
        return ALLOCATED.get();
    }

    static long freed() {
        return FREED.get();
    }
}
