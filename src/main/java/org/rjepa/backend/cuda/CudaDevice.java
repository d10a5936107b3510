package org.rjepa.backend.cuda;

import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static jcuda.driver.CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPU the engine trains on (device 0), opened once per process: the driver initialised
 * with JCuda exceptions on, the device's primary context retained (never released: it lives
 * as long as the process), the kernel modules loaded from the packaged fatbins on first use,
 * and the choice of the projection path (cuBLAS or the engine's own GEMM kernel) made once.
 * Every thread that calls CUDA makes the context current first ({@link #makeCurrent}).
 */
final class CudaDevice {
    private static final Logger LOG = LoggerFactory.getLogger(CudaDevice.class);
    private static CudaDevice instance;

    final CUdevice device;
    final CUcontext context;
    final int count;
    final String name;
    final int major;
    final int minor;
    final long memoryBytes;
    final int driverVersion;
    /** Every device the driver lists, one line each. */
    final List<String> devices;
    private final Map<String, CUmodule> modules = new HashMap<>();
    private Projection projection;

    private CudaDevice() {
        NativeFolder.during(() -> JCudaDriver.setExceptionsEnabled(true));
        cuInit(0);
        int[] value = new int[1];
        cuDeviceGetCount(value);
        this.count = value[0];
        if (count == 0) {
            throw new IllegalStateException("the CUDA driver sees no GPU");
        }
        cuDriverGetVersion(value);
        this.driverVersion = value[0];
        this.devices = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            CUdevice d = new CUdevice();
            cuDeviceGet(d, k);
            devices.add(k + ": " + describe(d));
        }
        this.device = new CUdevice();
        cuDeviceGet(device, 0);
        this.name = deviceName(device);
        cuDeviceGetAttribute(value, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        this.major = value[0];
        cuDeviceGetAttribute(value, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        this.minor = value[0];
        long[] bytes = new long[1];
        cuDeviceTotalMem(bytes, device);
        this.memoryBytes = bytes[0];
        this.context = new CUcontext();
        cuDevicePrimaryCtxRetain(context, device);
        makeCurrent();
        LOG.info("CUDA device 0: {} (sm_{}{}), driver {}", name, major, minor, driver());
    }

    /** The device, opened on first call; throws (anything) when there is none usable. */
    static synchronized CudaDevice get() {
        if (instance == null) {
            instance = new CudaDevice();
        }
        return instance;
    }

    void makeCurrent() {
        cuCtxSetCurrent(context);
    }

    /** The driver's CUDA version, e.g. "13.0". */
    String driver() {
        return driverVersion / 1000 + "." + driverVersion % 1000 / 10;
    }

    /**
     * A kernel of a family, its module loaded from the packaged fatbin on first use; the context
     * is made current first, since cuModuleGetFunction needs one on the calling thread too.
     */
    synchronized CUfunction function(String family, String kernel) {
        makeCurrent();
        CUmodule module = modules.get(family);
        if (module == null) {
            byte[] image = KernelImages.read(family);
            byte[] terminated = java.util.Arrays.copyOf(image, image.length + 1);
            module = new CUmodule();
            cuModuleLoadData(module, terminated);
            modules.put(family, module);
        }
        CUfunction function = new CUfunction();
        cuModuleGetFunction(function, module, kernel);
        return function;
    }

    /** Loads every packaged kernel module; throws when one does not load on this device. */
    void loadAllKernels() {
        for (String family : KernelImages.FAMILIES) {
            function(family, firstKernel(family));
        }
    }

    /** The projection path, chosen once: cuBLAS where libcublas.so.12 loads, else the kernel. */
    synchronized Projection projection() {
        if (projection == null) {
            projection = Projection.choose(this);
        }
        return projection;
    }

    private static String firstKernel(String family) {
        switch (family) {
            case "gated_step":
                return "gated_step";
            case "projection":
                return "projection_gemm";
            case "target_embedding":
                return "target_activate";
            case "prediction_error":
                return "prediction_error";
            case "rfp_traces":
                return "rfp_traces";
            default:
                return "adam_ema";
        }
    }

    private static String describe(CUdevice d) {
        int[] major = new int[1];
        int[] minor = new int[1];
        cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, d);
        cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, d);
        long[] bytes = new long[1];
        cuDeviceTotalMem(bytes, d);
        return String.format(java.util.Locale.ROOT, "%s, sm_%d%d, %.1f GiB", deviceName(d),
                major[0], minor[0], bytes[0] / (1024.0 * 1024 * 1024));
    }

    private static String deviceName(CUdevice d) {
        byte[] raw = new byte[256];
        cuDeviceGetName(raw, raw.length, d);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.US_ASCII);
    }
}
