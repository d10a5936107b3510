package org.rjepa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rjepa.learning.GradientCheck;
import org.rjepa.learning.Reference;
import org.rjepa.model.Dimensions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rjepa gradcheck}: the gradient identities on random small problems. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check RFP and RTRL against BPTT, and BPTT against central finite "
                + "differences, in double precision on random small circuits. Exits 1 when "
                + "RFP or RTRL differ from BPTT by more than 1e-9, or BPTT from the finite "
                + "differences by more than 1e-5 (each relative to the block's largest entry).")
final class GradcheckCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cases", defaultValue = "8",
            description = "Random problems, each checked per-sequence and per-step "
                    + "(default: ${DEFAULT-VALUE}).")
    int cases;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the problems "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--recurrence", defaultValue = "diagonal",
            description = "diagonal (RFP must equal BPTT) or dense (RFP is the diagonal "
                    + "approximation, reported as relative error and cosine; RTRL must still "
                    + "equal BPTT) (default: ${DEFAULT-VALUE}).")
    String recurrence;

    @Option(names = "--json", description = "Print the results as JSON instead of a table.")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Also write the JSON results to FILE (atomically); `rjepa report` "
                    + "shows a run folder's gradcheck.json.")
    java.nio.file.Path outFile;

    @Option(names = "--per-case", description = "Print every case's blocks, not only the "
            + "worst error of each block over all cases.")
    boolean perCase;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (cases < 1 || cases > 1000) {
            throw new org.rjepa.io.BadInputException("--cases must be between 1 and 1000, not "
                    + cases + ".");
        }
        if (!"diagonal".equals(recurrence) && !"dense".equals(recurrence)) {
            throw new org.rjepa.io.BadInputException("unknown --recurrence '" + recurrence
                    + "'; expected diagonal or dense.");
        }
        boolean dense = "dense".equals(recurrence);
        List<GradientCheck.Outcome> outcomes = GradientCheck.run(cases, seed, dense);
        boolean passed = outcomes.stream().allMatch(GradientCheck.Outcome::passes);
        String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(toJson(outcomes, passed));
        if (outFile != null) {
            org.rjepa.io.AtomicFiles.writeString(outFile, text + "\n");
        }
        if (json) {
            out.println(text);
        } else {
            if (perCase) {
                printCases(out, outcomes);
            }
            printBlocks(out, outcomes, passed, dense);
        }
        return passed ? 0 : Main.EXIT_FAILED;
    }

    private static void printCases(PrintWriter out, List<GradientCheck.Outcome> outcomes) {
        out.println(String.format(Locale.ROOT, "%-53s %-5s %12s %10s %12s %12s", "case",
                "block", "RFP-BPTT", "RFP cos", "RTRL-BPTT", "BPTT-FD"));
        for (GradientCheck.Outcome o : outcomes) {
            String label = describe(o.problem());
            for (GradientCheck.BlockErrors e : o.blocks()) {
                out.println(String.format(Locale.ROOT,
                        "%-53s %-5s %12.2e %10.6f %12.2e %12.2e%s", label, e.block(),
                        e.rfpVsBptt(), e.rfpCosine(), e.rtrlVsBptt(),
                        e.bpttVsFiniteDifferences(), e.passes() ? "" : "  FAIL"));
                label = "";
            }
        }
        out.println();
    }

    /** One row per block: the worst error over every case, and how many cases failed. */
    private static void printBlocks(PrintWriter out, List<GradientCheck.Outcome> outcomes,
            boolean passed, boolean dense) {
        out.println(outcomes.size() + " checks (" + outcomes.size() / 2 + " random "
                + (dense ? "dense" : "diagonal") + " circuits, each per-sequence and per-step); "
                + "largest error relative to the block's largest entry:");
        out.println(String.format(Locale.ROOT, "%-6s %12s %12s %12s %12s %8s", "block",
                "RFP-BPTT", "RFP cos min", "RTRL-BPTT", "BPTT-FD", "failed"));
        java.util.Map<org.rjepa.model.Block, double[]> worst = new java.util.LinkedHashMap<>();
        java.util.Map<org.rjepa.model.Block, Integer> failed = new java.util.LinkedHashMap<>();
        for (GradientCheck.Outcome o : outcomes) {
            for (GradientCheck.BlockErrors e : o.blocks()) {
                double[] w = worst.computeIfAbsent(e.block(), b -> new double[] {0, 1, 0, 0});
                w[0] = Math.max(w[0], e.rfpVsBptt());
                w[1] = Math.min(w[1], e.rfpCosine());
                w[2] = Math.max(w[2], e.rtrlVsBptt());
                w[3] = Math.max(w[3], e.bpttVsFiniteDifferences());
                failed.merge(e.block(), e.passes() ? 0 : 1, Integer::sum);
            }
        }
        for (java.util.Map.Entry<org.rjepa.model.Block, double[]> row : worst.entrySet()) {
            double[] w = row.getValue();
            out.println(String.format(Locale.ROOT, "%-6s %12.2e %12.8f %12.2e %12.2e %8d",
                    row.getKey(), w[0], w[1], w[2], w[3], failed.get(row.getKey())));
        }
        out.println(String.format(Locale.ROOT, "limits: %sRTRL vs BPTT %.0e, BPTT vs finite "
                + "differences %.0e: %s", dense ? "" : "RFP and ", GradientCheck.EXACT_LIMIT,
                GradientCheck.FINITE_DIFFERENCE_LIMIT, passed ? "passed" : "FAILED"));
        if (dense) {
            out.println("RFP is the diagonal approximation on the dense circuit: its error is "
                    + "reported, not limited.");
        }
    }

    private static String describe(GradientCheck.Case c) {
        Dimensions d = c.dims();
        String term = c.term() == Reference.ALL_TERMS ? "per-sequence" : "per-step t=" + c.term();
        return String.format(Locale.ROOT, "#%d n=%d m=%d ms=%d B=%d T=%d %s%s", c.index(), d.n(),
                d.m(), d.ms(), c.B(), c.T(), term, (c.liveTarget() ? " live" : "")
                + (c.vicreg() ? String.format(Locale.ROOT, " vicreg gamma=%.2f", c.gamma())
                : ""));
    }

    private static Map<String, Object> toJson(List<GradientCheck.Outcome> outcomes,
            boolean passed) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (GradientCheck.Outcome o : outcomes) {
            GradientCheck.Case c = o.problem();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("case", c.index());
            row.put("n", c.dims().n());
            row.put("m", c.dims().m());
            row.put("ms", c.dims().ms());
            row.put("mx", c.dims().mx());
            row.put("B", c.B());
            row.put("T", c.T());
            row.put("update", c.update());
            row.put("term", c.term() == Reference.ALL_TERMS ? null : c.term());
            row.put("live_target", c.liveTarget());
            row.put("vicreg", c.vicreg());
            if (c.vicreg()) {
                row.put("vicreg_gamma", c.gamma());
            }
            row.put("recurrence", c.dims().dense() ? "dense" : "diagonal");
            Map<String, Object> blocks = new LinkedHashMap<>();
            for (GradientCheck.BlockErrors e : o.blocks()) {
                Map<String, Object> errors = new LinkedHashMap<>();
                errors.put("rfp_vs_bptt", e.rfpVsBptt());
                errors.put("rfp_cosine", e.rfpCosine());
                errors.put("rtrl_vs_bptt", e.rtrlVsBptt());
                errors.put("bptt_vs_fd", e.bpttVsFiniteDifferences());
                blocks.put(e.block().name(), errors);
            }
            row.put("blocks", blocks);
            row.put("passed", o.passes());
            rows.add(row);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("passed", passed);
        result.put("exact_limit", GradientCheck.EXACT_LIMIT);
        result.put("finite_difference_limit", GradientCheck.FINITE_DIFFERENCE_LIMIT);
        result.put("cases", rows);
        return result;
    }
}
