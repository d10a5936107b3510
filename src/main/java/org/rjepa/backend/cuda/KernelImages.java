package org.rjepa.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The compiled kernels that the build packaged: one fatbin per file of {@code cuda-kernels/},
 * under {@code org/rjepa/cuda/} in the jar. Touches no JCuda class, so it can say whether
 * this build has kernels on any machine.
 */
public final class KernelImages {
    /** The kernel families, the base names of the .cu files. */
    public static final List<String> FAMILIES = List.of("gated_step", "projection",
            "target_embedding", "prediction_error", "rfp_traces", "optimizer_step");

    private KernelImages() {
    }

    /** Whether every family's fatbin is in this build. */
    public static boolean packaged() {
        for (String family : FAMILIES) {
            if (KernelImages.class.getResource(resource(family)) == null) {
                return false;
            }
        }
        return true;
    }

    /** The fatbin of a family, its bytes as built. */
    static byte[] read(String family) {
        try (InputStream in = KernelImages.class.getResourceAsStream(resource(family))) {
            if (in == null) {
                throw new IllegalStateException("this build has no CUDA kernels (" + family
                        + ".fatbin is missing; nvcc was not on the PATH when it was built)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the kernel " + family, e);
        }
    }

    private static String resource(String family) {
        return "/org/rjepa/cuda/" + family + ".fatbin";
    }
}
