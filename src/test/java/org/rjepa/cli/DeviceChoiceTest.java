package org.rjepa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rjepa.backend.cuda.CudaProbe;

/**
 * Where a run trains, as a user on a machine without a GPU meets it: {@code --device cpu}
 * trains without loading a single JCuda class (seen from the JVM's class-loading log of a
 * separate run), {@code auto} trains on the CPU and says why in one line, {@code cuda} is
 * refused in one sentence with status 2, and {@code rjepa devices} says there is no GPU and
 * exits 0. The tests that need the absence of a GPU are skipped on a machine that has one.
 */
class DeviceChoiceTest {
    private static final String[] TINY = {
        "train", "--steps", "2", "--batch", "4", "--hidden", "5", "--patch", "3",
        "--fixations", "3", "--eval-images", "16", "--report-every", "2", "--threads", "1",
        "--no-progress",
    };

    @Test
    void cpuTrainsWithoutLoadingJCuda(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xlog:class+load=info");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.rjepa.cli.Main");
        command.addAll(List.of(TINY));
        command.addAll(List.of("--device", "cpu", "--out", dir.resolve("run").toString()));
        Path log = dir.resolve("out.txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the run finishes");
        String output = Files.readString(log, StandardCharsets.UTF_8);

        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("Loaded") || output.contains("source:"),
                "the class-loading log is on");
        assertTrue(output.contains("| device ") && output.contains("cpu (as asked)"), output);
        List<String> jcuda = output.lines().filter(l -> l.contains("org.jcuda")
                || l.contains(" jcuda.")).collect(Collectors.toList());
        assertEquals(List.of(), jcuda, "JCuda classes loaded by a CPU run");
        assertTrue(Files.exists(dir.resolve("run/summary.json")));
    }

    @Test
    void autoTrainsOnTheCpuAndSaysWhyInOneLine(@TempDir Path dir) {
        assumeFalse(CudaProbe.status().usable(), "this machine has a usable GPU");
        String[] args = withArgs("--device", "auto", "--out", dir.resolve("run").toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));

        assertEquals(0, status, err.toString());
        List<String> lines = out.toString().lines().filter(l -> l.contains("no usable GPU"))
                .collect(Collectors.toList());
        assertEquals(1, lines.size(), out.toString());
        assertTrue(lines.get(0).contains("cpu (auto: no usable GPU: "), lines.get(0));
        assertTrue(Files.exists(dir.resolve("run/summary.json")));
    }

    @Test
    void cudaWithoutAGpuIsRefusedInOneSentence(@TempDir Path dir) throws IOException {
        assumeFalse(CudaProbe.status().usable(), "this machine has a usable GPU");
        Path run = dir.resolve("run");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(withArgs("--device", "cuda", "--out", run.toString()),
                new PrintWriter(out), new PrintWriter(err));

        assertEquals(Main.EXIT_BAD_INPUT, status);
        List<String> lines = err.toString().lines().collect(Collectors.toList());
        assertEquals(1, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("rjepa: --device cuda: no usable GPU: "),
                lines.get(0));
        assertTrue(lines.get(0).endsWith("use --device cpu or auto."), lines.get(0));
        assertEquals("", out.toString(), "nothing printed before the refusal");
        assertFalse(Files.exists(run), "no run folder");
    }

    @Test
    void cudaRefusesTheRulesItDoesNotHave() {
        StringWriter err = new StringWriter();
        int status = Main.run(withArgs("--device", "cuda", "--algorithm", "rtrl"),
                new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertEquals(Main.EXIT_BAD_INPUT, status);
        assertTrue(err.toString().contains("--algorithm rfp on the diagonal circuit only"),
                err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }

    @Test
    void cudaRefusesTheVicregGuard() {
        StringWriter err = new StringWriter();
        int status = Main.run(withArgs("--device", "cuda", "--guard", "vicreg"),
                new PrintWriter(new StringWriter()), new PrintWriter(err));

        assertEquals(Main.EXIT_BAD_INPUT, status);
        assertTrue(err.toString().contains("--guard vicreg runs on the CPU"), err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
    }

    @Test
    void devicesSaysThereIsNoGpuAndExitsZero() {
        assumeFalse(CudaProbe.status().usable(), "this machine has a usable GPU");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"devices"}, new PrintWriter(out),
                new PrintWriter(err));

        assertEquals(0, status, err.toString());
        assertTrue(out.toString().contains("No usable GPU: "), out.toString());
        assertTrue(out.toString().contains("--device auto trains on the CPU"), out.toString());
        assertEquals("", err.toString());
    }

    private static String[] withArgs(String... more) {
        String[] args = java.util.Arrays.copyOf(TINY, TINY.length + more.length);
        System.arraycopy(more, 0, args, TINY.length, more.length);
        return args;
    }
}
