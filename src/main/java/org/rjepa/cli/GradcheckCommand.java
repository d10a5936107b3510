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

    @Option(names = "--json", description = "Print the results as JSON instead of a table.")
    boolean json;

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
        List<GradientCheck.Outcome> outcomes = GradientCheck.run(cases, seed);
        boolean passed = outcomes.stream().allMatch(GradientCheck.Outcome::passes);
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(toJson(outcomes, passed)));
        } else {
            if (perCase) {
                printCases(out, outcomes);
            }
            printBlocks(out, outcomes, passed);
        }
        return passed ? 0 : Main.EXIT_FAILED;
    }

    private static void printCases(PrintWriter out, List<GradientCheck.Outcome> outcomes) {
        out.println(String.format(Locale.ROOT, "%-46s %-5s %12s %12s %12s", "case", "block",
                "RFP-BPTT", "RTRL-BPTT", "BPTT-FD"));
        for (GradientCheck.Outcome o : outcomes) {
            String label = describe(o.problem());
            for (GradientCheck.BlockErrors e : o.blocks()) {
                out.println(String.format(Locale.ROOT, "%-46s %-5s %12.2e %12.2e %12.2e%s",
                        label, e.block(), e.rfpVsBptt(), e.rtrlVsBptt(),
                        e.bpttVsFiniteDifferences(), e.passes() ? "" : "  FAIL"));
                label = "";
            }
        }
        out.println();
    }

    /** One row per block: the worst error over every case, and how many cases failed. */
    private static void printBlocks(PrintWriter out, List<GradientCheck.Outcome> outcomes,
            boolean passed) {
        out.println(outcomes.size() + " checks (" + outcomes.size() / 2 + " random circuits, "
                + "each per-sequence and per-step); largest error relative to the block's "
                + "largest entry:");
        out.println(String.format(Locale.ROOT, "%-6s %12s %12s %12s %8s", "block",
                "RFP-BPTT", "RTRL-BPTT", "BPTT-FD", "failed"));
        int blocks = outcomes.get(0).blocks().size();
        for (int k = 0; k < blocks; k++) {
            double[] worst = new double[3];
            int failed = 0;
            for (GradientCheck.Outcome o : outcomes) {
                GradientCheck.BlockErrors e = o.blocks().get(k);
                worst[0] = Math.max(worst[0], e.rfpVsBptt());
                worst[1] = Math.max(worst[1], e.rtrlVsBptt());
                worst[2] = Math.max(worst[2], e.bpttVsFiniteDifferences());
                failed += e.passes() ? 0 : 1;
            }
            out.println(String.format(Locale.ROOT, "%-6s %12.2e %12.2e %12.2e %8d",
                    outcomes.get(0).blocks().get(k).block(), worst[0], worst[1], worst[2],
                    failed));
        }
        out.println(String.format(Locale.ROOT, "limits: RFP and RTRL vs BPTT %.0e, BPTT vs "
                + "finite differences %.0e: %s", GradientCheck.EXACT_LIMIT,
                GradientCheck.FINITE_DIFFERENCE_LIMIT, passed ? "passed" : "FAILED"));
    }

    private static String describe(GradientCheck.Case c) {
        Dimensions d = c.dims();
        String term = c.term() == Reference.ALL_TERMS ? "per-sequence" : "per-step t=" + c.term();
        return String.format(Locale.ROOT, "#%d n=%d m=%d ms=%d B=%d T=%d %s%s", c.index(), d.n(),
                d.m(), d.ms(), c.B(), c.T(), term, c.liveTarget() ? " live" : "");
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
            Map<String, Object> blocks = new LinkedHashMap<>();
            for (GradientCheck.BlockErrors e : o.blocks()) {
                Map<String, Object> errors = new LinkedHashMap<>();
                errors.put("rfp_vs_bptt", e.rfpVsBptt());
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
