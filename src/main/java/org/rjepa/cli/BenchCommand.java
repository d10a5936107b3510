package org.rjepa.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rjepa.evaluation.LearnerComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rjepa bench}: learning-state bytes and time per fixation of RFP, RTRL and BPTT. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure each learner's learning-state bytes per sequence (counted from "
                + "what it allocates) and its time per fixation per sequence, on the same "
                + "problems in one run so that the ratios hold. JMH benchmarks: see "
                + "benchmarks/README.md.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Small sizes, a few seconds in all.")
    boolean quick;

    @Option(names = "--repetitions", defaultValue = "5",
            description = "Timed batches per learner and size; the median is reported "
                    + "(default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--threads", defaultValue = "1",
            description = "CPU threads per learner (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print a JSON array instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (repetitions < 1 || threads < 1) {
            throw new org.rjepa.io.BadInputException("--repetitions and --threads must be at "
                    + "least 1.");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<LearnerComparison.Row> rows = LearnerComparison.run(
                quick ? LearnerComparison.quickSizes() : LearnerComparison.fullSizes(),
                List.of("rfp", "rtrl", "bptt"), repetitions, threads);
        if (json) {
            List<Map<String, Object>> objects = new ArrayList<>();
            for (LearnerComparison.Row r : rows) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("algorithm", r.algorithm());
                o.put("device", r.device());
                o.put("n", r.n());
                o.put("m", r.m());
                o.put("T", r.T());
                o.put("batch", r.batch());
                o.put("state_bytes_per_sequence", r.stateBytesPerSequence());
                o.put("ns_per_fixation", r.nsPerFixation());
                objects.add(o);
            }
            out.println(TrainCommand.JSON.writeValueAsString(objects));
            return 0;
        }
        out.println(String.format(Locale.ROOT, "%-5s %-4s %5s %5s %6s %6s %16s %14s %9s %9s",
                "rule", "dev", "n", "m", "T", "batch", "state B/seq", "ns/fixation", "mem/RFP",
                "time/RFP"));
        LearnerComparison.Row rfp = null;
        for (LearnerComparison.Row r : rows) {
            if ("rfp".equals(r.algorithm())) {
                rfp = r;
            }
            out.println(String.format(Locale.ROOT,
                    "%-5s %-4s %5d %5d %6d %6d %16d %14.0f %9.1f %9.1f", r.algorithm(),
                    r.device(), r.n(), r.m(), r.T(), r.batch(), r.stateBytesPerSequence(),
                    r.nsPerFixation(), (double) r.stateBytesPerSequence()
                            / rfp.stateBytesPerSequence(), r.nsPerFixation()
                            / rfp.nsPerFixation()));
        }
        return 0;
    }
}
