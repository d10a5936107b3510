/**
 * The CUDA backend: hand-written kernels from {@code cuda-kernels/}, compiled by nvcc at build
 * time into fatbins packaged as resources, loaded and launched through the JCuda driver API
 * on the device's primary context. Each kernel family has one launcher here
 * ({@code RfpTracesKernel} for {@code rfp_traces.cu}) and one CPU twin of the same base name
 * in {@code backend/cpu}.
 *
 * <p>Isolation. Only the classes of this package touch JCuda. {@link CudaProbe} is the one
 * door: it is called only when a run asks for {@code --device auto} or {@code cuda}, it opens
 * the driver once, catching every {@code Throwable} (a machine without a driver throws
 * {@code UnsatisfiedLinkError} first and {@code NoClassDefFoundError} after), and caches the
 * answer. A CPU run never loads an {@code org.jcuda} class.
 *
 * <p>Memory. Device and pinned host memory live in {@link DeviceBuffer} and
 * {@link PinnedBuffer}, AutoCloseable handles owned by the learner that allocated them and
 * freed when it closes; both count allocations and frees so that a test can see none leak.
 *
 * <p>Symbols as in DESIGN.md: {@code n}, {@code m}, {@code mx}, {@code ms}, {@code T},
 * {@code B}; {@code P} the length of the flat parameter vector (all blocks in
 * {@link org.rjepa.model.Block} order) and {@code C} the number of chunks of sequences whose
 * gradients are summed separately, then in order.
 */
package org.rjepa.backend.cuda;
