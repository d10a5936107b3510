package org.rjepa.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rjepa.backend.cuda.CudaProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code rjepa devices}: the GPUs, the driver, the projection path and the kernels. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the GPUs the CUDA driver sees, the driver's version, which path "
                + "the projections would take (cuBLAS or the engine's GEMM kernel) and whether "
                + "this build's kernels load. Exits 0 with or without a GPU.")
final class DevicesCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CudaProbe.Status status = CudaProbe.status();
        Map<String, String> rows = new LinkedHashMap<>();
        if (status.devices().isEmpty()) {
            rows.put("GPUs", "none usable: " + status.reason());
        } else {
            for (String device : status.devices()) {
                rows.put("GPU " + device.substring(0, device.indexOf(':')),
                        device.substring(device.indexOf(':') + 2));
            }
        }
        rows.put("driver", status.driver() == null ? "-" : "CUDA " + status.driver());
        rows.put("projections", status.gemm());
        rows.put("kernels", status.kernels());
        rows.put("training", status.usable() ? "--device auto trains on GPU 0"
                : "--device auto trains on the CPU");
        Terminal.configTable(out, "rjepa devices", rows);
        if (!status.usable()) {
            out.println("No usable GPU: " + status.reason() + ".");
        }
        return 0;
    }
}
