package org.rjepa.backend.cuda;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a GPU is usable, asked once per process. The only door from CPU code into this
 * package: its answer's types are plain Java, and every failure of the driver, the JCuda
 * natives or the kernels is caught here (as {@code Throwable}: a machine without a driver
 * throws {@code UnsatisfiedLinkError}, then {@code NoClassDefFoundError}) and turned into
 * one reason.
 */
public final class CudaProbe {
    private static final Logger LOG = LoggerFactory.getLogger(CudaProbe.class);
    private static Status status;

    /**
     * @param usable   a GPU, its driver and this build's kernels all work
     * @param reason   why not, one clause, when not usable
     * @param device   device 0 in words, when a GPU was found
     * @param driver   the driver's CUDA version, when one answered
     * @param devices  every GPU the driver lists
     * @param gemm     the projection path that training would use
     * @param kernels  whether this build's kernels are packaged and load on the device
     */
    public record Status(boolean usable, String reason, String device, String driver,
            List<String> devices, String gemm, String kernels) {
    }

    private CudaProbe() {
    }

    /** Opens the driver and the kernels once and says what came of it. */
    public static synchronized Status status() {
        if (status == null) {
            status = probe();
            if (status.usable()) {
                LOG.info("GPU usable: {}, driver {}, projections by {}", status.device(),
                        status.driver(), status.gemm());
            } else {
                LOG.info("no usable GPU: {}", status.reason());
            }
        }
        return status;
    }

    private static Status probe() {
        boolean packaged = KernelImages.packaged();
        String kernelsMissing = "not in this build (nvcc was not on the PATH when it was built)";
        CudaDevice gpu;
        try {
            gpu = CudaDevice.get();
        } catch (Throwable t) {
            return new Status(false, driverFailure(t), null, null, List.of(), "-",
                    packaged ? "packaged, not loaded (no GPU)" : kernelsMissing);
        }
        String device = gpu.name + " (sm_" + gpu.major + gpu.minor + ")";
        String gemm;
        try {
            gemm = gpu.projection().describe();
        } catch (Throwable t) {
            gemm = "none: " + t;
        }
        if (!packaged) {
            return new Status(false, "this build has no CUDA kernels (nvcc was not on the PATH "
                    + "when it was built)", device, gpu.driver(), gpu.devices, gemm,
                    kernelsMissing);
        }
        try {
            gpu.loadAllKernels();
        } catch (Throwable t) {
            return new Status(false, "the kernels do not load on " + device + " (" + t + ")",
                    device, gpu.driver(), gpu.devices, gemm, "packaged, do not load: " + t);
        }
        return new Status(true, null, device, gpu.driver(), gpu.devices, gemm,
                "packaged, load on device 0");
    }

    private static String driverFailure(Throwable t) {
        if (t instanceof UnsatisfiedLinkError || t instanceof NoClassDefFoundError) {
            return "no CUDA driver (libcuda.so.1 did not load)";
        }
        String message = t.getMessage() == null ? t.toString() : t.getMessage();
        if (message.contains("CUDA_ERROR_NO_DEVICE") || message.contains("sees no GPU")) {
            return "the CUDA driver sees no GPU";
        }
        return "the CUDA driver did not start (" + message.lines().findFirst().orElse("")
                + ")";
    }
}
