package org.rjepa.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Turns JMH's {@code jmh.json} into {@code results.md} (the machine, one row per benchmark,
 * the ratios of RTRL and BPTT to RFP, and the checks of how memory scales) and
 * {@code memory-time.png} ({@link MemoryTimePlot}).
 *
 * <p>Time per fixation is per fixation with a loss term and per sequence: the score of one
 * invocation divided by {@code B (T - 1)}. A sequence of T fixations runs the circuit T times
 * but forms T - 1 loss terms, and the last step is the cheap one, so this is the cost that a
 * longer sequence adds per step. Ratios are taken between rows of the same run with the same
 * kind of benchmark, n, T and batch.
 *
 * <pre>
 * java -cp benchmarks.jar org.rjepa.benchmarks.Report --json results/jmh.json --out results \
 *     [--command "..."] [--started ISO-TIME] [--wall-seconds S] [--load-before "1.0 0.9 0.8"]
 * </pre>
 */
public final class Report {
    /** The rules in the order the tables list them. */
    static final List<String> ALGORITHMS = List.of("rfp", "rtrl", "bptt");

    /** One benchmark's figures, read from jmh.json. */
    record Row(String benchmark, String kind, String algorithm, String device, int n, int m,
            int T, int batch, long stateBytes, boolean stateAgrees, double nsPerOp,
            double errorPercent, double allocMBs, double allocBytesPerOp) {
        /** Nanoseconds per fixation with a loss term, per sequence. */
        double nsPerFixation() {
            return nsPerOp / ((double) batch * (T - 1));
        }

        /** The group within which rows are compared: the same work for every rule. */
        String group() {
            return device + " " + kind + " " + n + " " + T + " " + batch;
        }
    }

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, String> options = options(args);
        Path json = Path.of(options.getOrDefault("json", "benchmarks/results/jmh.json"));
        Path out = Path.of(options.getOrDefault("out", "benchmarks/results"));
        if (!Files.isRegularFile(json)) {
            System.err.println("ERROR: no JMH results at " + json + "; run benchmarks/run first.");
            System.exit(2);
        }
        JsonNode results = new ObjectMapper().readTree(json.toFile());
        List<Row> rows = rows(results);
        if (rows.isEmpty()) {
            System.err.println("ERROR: " + json + " holds no learner benchmark results.");
            System.exit(2);
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), markdown(rows, results, options),
                StandardCharsets.UTF_8);
        MemoryTimePlot.write(onCpu(rows), out.resolve("memory-time.png"));
        System.out.println("wrote " + out.resolve("results.md") + " and "
                + out.resolve("memory-time.png") + " (" + rows.size() + " rows)");
    }

    /** {@code --key value} pairs. */
    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                System.err.println("ERROR: expected --key value pairs, got '" + args[i] + "'.");
                System.exit(2);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    /** The rows of jmh.json, sorted by kind, T, n and rule. */
    static List<Row> rows(JsonNode results) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode result : results) {
            String name = result.path("benchmark").asText();
            JsonNode params = result.path("params");
            if (!params.has("algorithm")) {
                continue;
            }
            String[] parts = name.split("\\.");
            String method = parts[parts.length - 1];
            String benchmark = parts[parts.length - 2] + "." + method;
            boolean oneFixation = method.equals("oneFixation");
            int T = oneFixation ? 2 : params.path("T").asInt();
            int n = params.path("n").asInt();

            JsonNode primary = result.path("primaryMetric");
            double toNs = nanosecondsPer(primary.path("scoreUnit").asText());
            double score = primary.path("score").asDouble();
            double error = primary.path("scoreError").asDouble();
            JsonNode secondary = result.path("secondaryMetrics");
            long[] state = iterationValues(secondary.path("stateBytesPerSequence"));
            boolean agrees = state.length > 0;
            for (long v : state) {
                agrees &= v == state[0];
            }
            String device = parts[parts.length - 2].startsWith("Cuda") ? "cuda" : "cpu";
            rows.add(new Row(benchmark, oneFixation ? "one fixation" : "sequences",
                    params.path("algorithm").asText(), device, n, LearnerProblem.inputSize(), T,
                    params.path("batch").asInt(), state.length == 0 ? -1 : state[0], agrees,
                    score * toNs, Double.isNaN(error) ? Double.NaN : 100 * error / score,
                    secondary.path("gc.alloc.rate").path("score").asDouble(Double.NaN),
                    secondary.path("gc.alloc.rate.norm").path("score").asDouble(Double.NaN)));
        }
        rows.sort(Comparator.comparing(Row::device).thenComparing(Row::kind,
                Comparator.reverseOrder())
                .thenComparingInt(Row::T).thenComparingInt(Row::n).thenComparingInt(Row::batch)
                .thenComparingInt(r -> ALGORITHMS.indexOf(r.algorithm())));
        return rows;
    }

    /** Every iteration's value of a secondary metric, all forks in turn. */
    private static long[] iterationValues(JsonNode metric) {
        List<Long> values = new ArrayList<>();
        for (JsonNode fork : metric.path("rawData")) {
            for (JsonNode v : fork) {
                values.add(Math.round(v.asDouble()));
            }
        }
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static double nanosecondsPer(String unit) {
        switch (unit) {
            case "ns/op":
                return 1;
            case "us/op":
                return 1e3;
            case "ms/op":
                return 1e6;
            case "s/op":
                return 1e9;
            default:
                throw new IllegalArgumentException("unexpected JMH unit " + unit
                        + "; the learner benchmarks report time per operation");
        }
    }

    static String markdown(List<Row> rows, JsonNode results, Map<String, String> options) {
        StringBuilder md = new StringBuilder();
        md.append("# Learner benchmarks\n\n");
        machine(md, results, options);
        md.append("\nTime is per fixation with a loss term and per sequence: an invocation's "
                + "time divided by batch x (T - 1). \"one fixation\" rows train sequences of "
                + "T = 2, a single fixation with a loss term. State bytes are the learner's "
                + "own count of its allocated learning state. A CPU learner runs on one "
                + "thread. "
                + "± is JMH's 99.9% interval as a percentage of the score.\n\n");

        md.append("| benchmark | algorithm | device | n | m | T | batch | state bytes/sequence "
                + "| ns/fixation/sequence | ± % | alloc MB/s | alloc B/op |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            String state = r.stateBytes() < 0 ? "–"
                    : String.format(Locale.ROOT, "%,d", r.stateBytes());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %d | %s%s "
                    + "| %s | %s | %s | %s |\n", r.benchmark(), r.algorithm(), r.device(), r.n(),
                    r.m(), r.T(),
                    r.batch(), state, r.stateAgrees() ? "" : " (varies)",
                    figure(r.nsPerFixation()),
                    fixed(r.errorPercent(), 0), fixed(r.allocMBs(), 2),
                    fixed(r.allocBytesPerOp(), 0)));
        }

        md.append("\n## Ratios to RFP\n\nBetween rows of this run with the same benchmark "
                + "kind, n, T and batch; – where a rule was not run at that size (RTRL above "
                + "n = 128).\n\n");
        md.append("| kind | n | T | batch | memory RTRL/RFP | ÷ n | memory BPTT/RFP | ÷ T "
                + "| time RTRL/RFP | time BPTT/RFP |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (List<Row> group : groups(rows).values()) {
            Row rfp = find(group, "rfp").orElse(null);
            if (rfp == null) {
                continue;
            }
            Optional<Row> rtrl = find(group, "rtrl");
            Optional<Row> bptt = find(group, "bptt");
            if (rtrl.isEmpty() && bptt.isEmpty()) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %s | %s | %s "
                    + "| %s |\n", rfp.kind(), rfp.n(), rfp.T(), rfp.batch(),
                    ratio(rtrl, rfp, true, 1), ratio(rtrl, rfp, true, rfp.n()),
                    ratio(bptt, rfp, true, 1), ratio(bptt, rfp, true, rfp.T()),
                    ratio(rtrl, rfp, false, 1), ratio(bptt, rfp, false, 1)));
        }

        gpu(md, rows);
        md.append("\n## Scaling checks\n\n");
        checks(md, onCpu(rows));
        md.append("\n![memory and time against n and T](memory-time.png)\n");
        return md.toString();
    }

    private static void machine(StringBuilder md, JsonNode results, Map<String, String> options) {
        JsonNode first = results.path(0);
        md.append("- command: `").append(options.getOrDefault("command", "(not given)"))
                .append("`\n");
        md.append("- date: ").append(options.getOrDefault("started",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))).append("\n");
        if (options.containsKey("wall-seconds")) {
            md.append("- wall time of the JMH run: ").append(options.get("wall-seconds"))
                    .append(" s\n");
        }
        md.append("- machine: ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores (nproc), CPU ").append(cpuModel()).append("\n");
        md.append("- JDK: ").append(first.path("vmName").asText()).append(" ")
                .append(first.path("jdkVersion").asText()).append(" (")
                .append(first.path("vmVersion").asText()).append("), JMH ")
                .append(first.path("jmhVersion").asText()).append("\n");
        md.append("- load average (1, 5, 15 min): before ")
                .append(options.getOrDefault("load-before", "(not given)")).append(", after ")
                .append(loadAverage()).append("\n");
        TreeSet<String> settings = new TreeSet<>();
        for (JsonNode r : results) {
            String[] parts = r.path("benchmark").asText().split("\\.");
            settings.add(String.format(Locale.ROOT, "%s: %d fork, %d x %s warm-up, %d x %s "
                    + "measured, %s", parts[parts.length - 2], r.path("forks").asInt(),
                    r.path("warmupIterations").asInt(), r.path("warmupTime").asText(),
                    r.path("measurementIterations").asInt(), r.path("measurementTime").asText(),
                    String.join(" ", texts(r.path("jvmArgs")))));
        }
        for (String s : settings) {
            md.append("- ").append(s).append("\n");
        }
        String gpu = options.getOrDefault("gpu", "(not given)");
        md.append(gpu.startsWith("none") ? "- GPU: " + gpu + "; no GPU rows\n"
                : "- GPU: " + gpu + "\n");
    }

    /** RFP on the GPU beside RFP on one CPU thread at the same sizes, when there are rows. */
    private static void gpu(StringBuilder md, List<Row> rows) {
        List<Row> cuda = rows.stream().filter(r -> r.device().equals("cuda")).toList();
        if (cuda.isEmpty()) {
            return;
        }
        md.append("\n## RFP on the GPU\n\nEach row is a whole batch on the device (copies "
                + "both ways included); the CPU column is RFP on one thread at the same n, T "
                + "and batch, where that was run.\n\n");
        md.append("| n | T | batch | ns/fixation/sequence | fixations/s | CPU/GPU time |\n");
        md.append("|---:|---:|---:|---:|---:|---:|\n");
        for (Row g : cuda) {
            Optional<Row> cpu = rows.stream().filter(r -> r.device().equals("cpu")
                    && r.algorithm().equals(g.algorithm()) && r.kind().equals(g.kind())
                    && r.n() == g.n() && r.T() == g.T() && r.batch() == g.batch()).findFirst();
            md.append(String.format(Locale.ROOT, "| %d | %d | %d | %s | %s | %s |\n", g.n(),
                    g.T(), g.batch(), figure(g.nsPerFixation()),
                    figure(1e9 / g.nsPerFixation()),
                    cpu.map(c -> figure(c.nsPerFixation() / g.nsPerFixation())).orElse("–")));
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    /** The sentences that say whether memory scales as DESIGN.md section 5 says it does. */
    private static void checks(StringBuilder md, List<Row> rows) {
        List<Double> rtrlPerN = new ArrayList<>();
        for (List<Row> group : groups(rows).values()) {
            Optional<Row> rfp = find(group, "rfp");
            Optional<Row> rtrl = find(group, "rtrl");
            if (rfp.isPresent() && rtrl.isPresent() && rfp.get().stateBytes() > 0) {
                rtrlPerN.add((double) rtrl.get().stateBytes() / rfp.get().stateBytes()
                        / rfp.get().n());
            }
        }
        if (!rtrlPerN.isEmpty()) {
            md.append(String.format(Locale.ROOT, "- RTRL/RFP memory ÷ n lies in [%.3f, %.3f] "
                    + "over %d sizes: the ratio grows in proportion to n (2nP + n^2 against "
                    + "2nm + 4n floats, about 2n).\n", min(rtrlPerN), max(rtrlPerN),
                    rtrlPerN.size()));
        }
        for (String algorithm : ALGORITHMS) {
            Map<Integer, List<Row>> byN = new LinkedHashMap<>();
            for (Row r : rows) {
                if (r.algorithm().equals(algorithm) && r.kind().equals("sequences")) {
                    byN.computeIfAbsent(r.n(), k -> new ArrayList<>()).add(r);
                }
            }
            for (Map.Entry<Integer, List<Row>> e : byN.entrySet()) {
                List<Row> sweep = e.getValue();
                if (sweep.size() < 2) {
                    continue;
                }
                Row shortest = sweep.get(0);
                Row longest = sweep.get(sweep.size() - 1);
                double grows = (double) longest.stateBytes() / shortest.stateBytes();
                md.append(String.format(Locale.ROOT, "- %s at n = %d: state %,d bytes at T = %d, "
                        + "%,d at T = %d: x%.2f for x%.0f in T%s.\n", algorithm.toUpperCase(
                        Locale.ROOT), e.getKey(), shortest.stateBytes(), shortest.T(),
                        longest.stateBytes(), longest.T(), grows,
                        (double) longest.T() / shortest.T(), grows == 1 ? " (flat)" : ""));
            }
        }
        long varies = rows.stream().filter(r -> !r.stateAgrees()).count();
        md.append(varies == 0 ? "- Every iteration of every row reported the same state bytes.\n"
                : "- " + varies + " rows reported state bytes that differ between iterations.\n");
    }

    /** The CPU rows, where all three rules ran: the scaling checks and the plot use them. */
    static List<Row> onCpu(List<Row> rows) {
        return rows.stream().filter(r -> r.device().equals("cpu")).toList();
    }

    /** Rows by {@link Row#group()}, in the table's order. */
    private static Map<String, List<Row>> groups(List<Row> rows) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r);
        }
        return groups;
    }

    private static Optional<Row> find(List<Row> group, String algorithm) {
        return group.stream().filter(r -> r.algorithm().equals(algorithm)).findFirst();
    }

    /** {@code of / rfp} in memory or time, divided by {@code per}; – when missing. */
    private static String ratio(Optional<Row> of, Row rfp, boolean memory, double per) {
        if (of.isEmpty()) {
            return "–";
        }
        double r = memory ? (double) of.get().stateBytes() / rfp.stateBytes()
                : of.get().nsPerFixation() / rfp.nsPerFixation();
        return figure(r / per);
    }

    /** Three significant figures, thousands grouped: 0.0351, 2.01, 129, 4,520. */
    static String figure(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        int decimals = a >= 10 ? 1 : a >= 1 ? 2 : a >= 0.1 ? 3 : 4;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static String cpuModel() {
        return firstLine(Path.of("/proc/cpuinfo"), "model name").map(l -> l.substring(
                l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
    }

    private static String loadAverage() {
        return firstLine(Path.of("/proc/loadavg"), "").map(l -> {
            String[] f = l.trim().split("\\s+");
            return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : l;
        }).orElse("(unknown)");
    }

    private static Optional<String> firstLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix))
                    .findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}
