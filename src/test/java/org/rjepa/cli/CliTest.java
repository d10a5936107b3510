package org.rjepa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rjepa.data.DataSplit;
import org.rjepa.data.IdxReader;
import org.rjepa.io.RunLock;
import org.rjepa.learning.Report;
import org.rjepa.learning.TrainConfig;
import org.rjepa.learning.Training;
import org.rjepa.learning.TrainingCheckpoint;
import org.rjepa.learning.TrainingListener;

/**
 * The command line as a user meets it, through {@link Main#run} with string writers: bad
 * input answered in one sentence with status 2, a tiny real training run and its folder, the
 * evaluation of its checkpoint, and the gradient check. One tiny run is trained once for the
 * whole class; everything else either fails before training or reuses it.
 */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tiny run: a few seconds on two cores, with every report interval exercised. */
    private static final String[] TINY = {
        "--steps", "3", "--batch", "4", "--hidden", "5", "--patch", "3", "--fixations", "3",
        "--eval-images", "16", "--report-every", "2", "--threads", "1", "--no-progress",
    };

    /** Keys every line of metrics.jsonl carries. */
    private static final List<String> METRIC_KEYS = List.of("step", "loss", "r2",
            "r2_persistence", "erank_z", "erank_h", "std_z_mean", "std_z_min",
            "fixations_per_s");

    /** Held-out figures that {@code evaluate} and {@code summary.json} share. */
    private static final List<String> HELD_OUT_KEYS = List.of("heldout_loss", "r2",
            "r2_persistence", "erank_z", "erank_h", "std_z_mean", "std_z_min", "std_h_mean",
            "std_h_min", "cos_z", "cos_h");

    @TempDir
    static Path shared;

    /** The run folder of the tiny training, and what its command printed. */
    private static Path run;
    private static Result trained;

    @TempDir
    Path folder;

    /** What one command did: its status, its two writers, and anything sent to System.out. */
    record Result(int status, String out, String err, String systemOut) {
        String describe() {
            return "status " + status + "\n--- out:\n" + out + "--- err:\n" + err
                    + "--- System.out:\n" + systemOut;
        }
    }

    /** Runs the command line with string writers, catching whatever reaches System.out. */
    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int status;
        try {
            System.setOut(new PrintStream(systemOut, true, StandardCharsets.UTF_8));
            status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        } finally {
            System.setOut(saved);
        }
        return new Result(status, out.toString(), err.toString(),
                systemOut.toString(StandardCharsets.UTF_8));
    }

    private static String[] join(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    /** Status 2 and exactly one line on the error writer, a sentence without a stack trace. */
    private static void assertRefusedInOneLine(Result r) {
        assertEquals(Main.EXIT_BAD_INPUT, r.status(), r.describe());
        String[] lines = r.err().split("\\R", -1);
        assertEquals(2, lines.length, "one line, ended by a newline:\n" + r.describe());
        assertEquals("", lines[1], r.describe());
        String line = lines[0];
        assertTrue(line.startsWith("rjepa: "), r.describe());
        assertTrue(line.length() > "rjepa: ".length() + 10, "a sentence: " + line);
        assertFalse(line.contains("at org."), "stack trace: " + line);
        assertFalse(line.contains("Exception"), "exception name: " + line);
        assertFalse(line.contains("internal error"), line);
        assertEquals("", r.systemOut(), "printed past the writers:\n" + r.describe());
    }

    /** The tiny run's flags with those of {@code flags} replaced by their values there. */
    private static List<String> tinyWith(List<String> flags) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < TINY.length; i++) {
            boolean takesValue = i + 1 < TINY.length && !TINY[i + 1].startsWith("--");
            if (!flags.contains(TINY[i])) {
                args.add(TINY[i]);
                if (takesValue) {
                    args.add(TINY[i + 1]);
                }
            }
            if (takesValue) {
                i++;
            }
        }
        args.addAll(flags);
        return args;
    }

    @BeforeAll
    static void trainTinyRun() {
        run = shared.resolve("run");
        trained = cli(join(new String[] {"train", "--out", run.toString()}, TINY));
    }

    // ---- bad input ----

    static Stream<Arguments> badTrainFlags() {
        return Stream.of(
                Arguments.of("unknown option", List.of("--colour", "blue"), "--colour"),
                Arguments.of("non-integer steps", List.of("--steps", "abc"), "'abc'"),
                Arguments.of("zero steps", List.of("--steps", "0"), "--steps"),
                Arguments.of("one fixation", List.of("--fixations", "1"), "--fixations"),
                Arguments.of("negative rate", List.of("--lr", "-1"), "--lr"),
                Arguments.of("tau above 1", List.of("--tau", "1.5"), "--tau"),
                Arguments.of("unknown policy", List.of("--policy", "spiral"), "'spiral'"),
                Arguments.of("unknown update", List.of("--update", "sometimes"), "'sometimes'"),
                Arguments.of("unknown guard", List.of("--guard", "maybe"), "'maybe'"),
                Arguments.of("unknown optimizer", List.of("--optimizer", "lbfgs"), "'lbfgs'"),
                Arguments.of("patch larger than the images", List.of("--patch", "40"),
                        "--patch 40"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTrainFlags")
    void badTrainFlagIsRefusedInOneLine(String what, List<String> flags, String named) {
        // tiny sizes, so that a flag the parser lets through cannot start a long run
        List<String> args = new ArrayList<>(List.of("train", "--out",
                folder.resolve("out").toString()));
        args.addAll(tinyWith(flags));
        Result r = cli(args.toArray(new String[0]));
        assertRefusedInOneLine(r);
        // a flag given twice is refused too, which would hide the check meant here
        assertFalse(r.err().contains("only once"), r.describe());
        assertTrue(r.err().contains(named), "the sentence names " + named + ":\n"
                + r.describe());
        assertFalse(Files.exists(folder.resolve("out").resolve("checkpoint.bin")), what);
    }

    @Test
    void badOptimizerIsRefusedBeforeAnythingIsDone() {
        // the other flags that need no data are refused before it is read and before the
        // run folder is made; an unknown optimizer should be too
        Path out = folder.resolve("out");
        Result r = cli(join(new String[] {"train", "--out", out.toString(), "--optimizer",
            "lbfgs"}, TINY));
        assertRefusedInOneLine(r);
        assertEquals("", r.out(), "nothing printed for a refused flag:\n" + r.describe());
        assertFalse(Files.exists(out), "a refused run makes no run folder");
    }

    @Test
    void unknownSubcommandIsRefusedInOneLine() {
        assertRefusedInOneLine(cli("frobnicate"));
    }

    @Test
    void evaluateWithoutCheckpointIsRefused() {
        assertRefusedInOneLine(cli("evaluate"));
    }

    @Test
    void evaluateOfAMissingFileIsRefused() {
        Result r = cli("evaluate", "--checkpoint", folder.resolve("nothing.bin").toString());
        assertRefusedInOneLine(r);
        assertTrue(r.err().contains("nothing.bin"), r.describe());
    }

    @Test
    void evaluateOfRandomBytesIsRefused() throws IOException {
        byte[] noise = new byte[4096];
        new Random(3).nextBytes(noise);
        Path file = Files.write(folder.resolve("noise.bin"), noise);
        assertRefusedInOneLine(cli("evaluate", "--checkpoint", file.toString()));
    }

    @Test
    void evaluateOfATruncatedCheckpointIsRefused() throws IOException {
        byte[] whole = Files.readAllBytes(checkpoint());
        for (int keep : new int[] {0, 5, 20, whole.length / 2, whole.length - 1}) {
            Path file = Files.write(folder.resolve("cut-" + keep + ".bin"),
                    Arrays.copyOf(whole, keep));
            assertRefusedInOneLine(cli("evaluate", "--checkpoint", file.toString()));
        }
    }

    @Test
    void evaluateOfACheckpointWithOneFlippedByteIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(checkpoint());
        bytes[bytes.length / 2] ^= 0x5A;
        Path file = Files.write(folder.resolve("flipped.bin"), bytes);
        Result r = cli("evaluate", "--checkpoint", file.toString(), "--threads", "1");
        assertRefusedInOneLine(r);
        assertEquals("", r.out(), r.describe());
    }

    @Test
    void evaluateRefusesZeroThreadsInOneLine() {
        // train refuses --threads 0 as bad input; evaluate should do the same
        assertRefusedInOneLine(cli("evaluate", "--checkpoint", checkpoint().toString(),
                "--threads", "0"));
    }

    @Test
    void trainOnAnEmptyDataFolderIsRefused() throws IOException {
        Path empty = Files.createDirectory(folder.resolve("empty"));
        Result r = cli(join(new String[] {"train", "--data", empty.toString(), "--out",
            folder.resolve("out").toString()}, TINY));
        assertRefusedInOneLine(r);
        assertTrue(r.err().contains(empty.toString()), r.describe());
    }

    @Test
    void trainOnAMissingDataFolderIsRefused() {
        Path missing = folder.resolve("not-there");
        Result r = cli(join(new String[] {"train", "--data", missing.toString(), "--out",
            folder.resolve("out").toString()}, TINY));
        assertRefusedInOneLine(r);
        assertTrue(r.err().contains(missing.toString()), r.describe());
    }

    @Test
    void trainRefusesARunFolderThatHoldsFiles() throws IOException {
        Path earlier = Files.createDirectory(folder.resolve("earlier"));
        Path notes = Files.writeString(earlier.resolve("notes.txt"), "keep me\n");
        Result r = cli(join(new String[] {"train", "--out", earlier.toString()}, TINY));
        assertRefusedInOneLine(r);
        assertEquals("keep me\n", Files.readString(notes));
        try (Stream<Path> files = Files.list(earlier)) {
            assertEquals(List.of(notes), files.collect(Collectors.toList()));
        }
    }

    @Test
    void noSubcommandPrintsUsageThroughTheGivenWriters() {
        Result r = cli();
        assertEquals("", r.systemOut(), "usage went to System.out:\n" + r.describe());
        assertTrue((r.out() + r.err()).contains("Usage: rjepa"), r.describe());
    }

    // ---- a tiny training run ----

    private static Path checkpoint() {
        assertEquals(0, trained.status(), trained.describe());
        return run.resolve("checkpoint.bin");
    }

    private static List<JsonNode> metricLines() throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static JsonNode summary() throws IOException {
        return JSON.readTree(Files.readString(run.resolve("summary.json")));
    }

    @Test
    void tinyTrainingWritesItsRunFolder() throws IOException {
        assertEquals(0, trained.status(), trained.describe());
        assertEquals("", trained.err(), "no progress bar or message with --no-progress");
        assertEquals("", trained.systemOut(), "the command printed past its writer");
        assertTrue(trained.out().contains("rjepa train"), "config table:\n" + trained.out());
        assertTrue(trained.out().contains(MetricLines.HEADER), trained.out());

        // exactly the three files, the report and the folder's lock, and no temporary file
        Set<String> names;
        try (Stream<Path> files = Files.list(run)) {
            names = files.map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(Set.of("checkpoint.bin", "metrics.jsonl", "summary.json", "loss.png",
                "collapse.png", "receptive-fields.png", "scanpaths.png", "report.html",
                RunLock.NAME), names);
        assertFalse(names.stream().anyMatch(n -> n.contains(".tmp")), names.toString());
    }

    @Test
    void metricsHaveOneLinePerReport() throws IOException {
        assertEquals(0, trained.status(), trained.describe());
        List<JsonNode> lines = metricLines();
        List<Long> steps = new ArrayList<>();
        for (JsonNode line : lines) {
            steps.add(line.get("step").asLong());
            for (String key : METRIC_KEYS) {
                assertTrue(line.has(key), "step " + line.get("step") + " lacks " + key);
            }
            for (String key : HELD_OUT_KEYS) {
                assertTrue(line.get(key).isNumber(), "step " + line.get("step") + " " + key
                        + " = " + line.get(key));
            }
        }
        assertEquals(List.of(0L, 2L, 3L), steps);

        // the untrained report has no training loss and no speed; the later ones have both
        assertTrue(lines.get(0).get("loss").isNull(), lines.get(0).toString());
        assertEquals(0, lines.get(0).get("fixations_per_s").asDouble());
        for (JsonNode line : lines.subList(1, 3)) {
            assertTrue(line.get("loss").isNumber() && line.get("loss").asDouble() > 0,
                    line.toString());
            assertTrue(line.get("fixations_per_s").asDouble() > 0, line.toString());
        }
    }

    @Test
    void summaryIsTheLastReportWithTheConfig() throws IOException {
        assertEquals(0, trained.status(), trained.describe());
        JsonNode summary = summary();
        for (String key : METRIC_KEYS) {
            assertTrue(summary.has(key), "summary lacks " + key);
        }
        assertTrue(summary.get("wall_s").asDouble() > 0, summary.toString());
        assertEquals(3, summary.get("step").asLong());

        // the figures of the final report, unchanged
        JsonNode last = metricLines().get(2);
        for (String key : HELD_OUT_KEYS) {
            assertEquals(last.get(key).asDouble(), summary.get(key).asDouble(), key);
        }

        // the whole config, under the names the flags set
        JsonNode config = summary.get("config");
        assertTrue(config != null && config.isObject(), summary.toString());
        assertEquals(3, config.get("steps").asInt());
        assertEquals(4, config.get("batch").asInt());
        assertEquals(5, config.get("hidden").asInt());
        assertEquals(3, config.get("patch").asInt());
        assertEquals(3, config.get("fixations").asInt());
        assertEquals(16, config.get("eval_images").asInt());
        assertEquals(2, config.get("report_every").asInt());
        assertEquals(1, config.get("threads").asInt());
        assertEquals(3, TrainConfig.fromJson(config.toString()).steps());

        // a run written before gamma was a parameter had VICReg's hinge target, 1
        assertEquals(TrainConfig.VARIANCE_TARGET,
                TrainConfig.fromJson(config.toString()).varianceTarget());
        ((com.fasterxml.jackson.databind.node.ObjectNode) config).remove("variance_target");
        assertEquals(1.0, TrainConfig.fromJson(config.toString()).varianceTarget());
    }

    @Test
    void evaluateReproducesTheFiguresOfTheSummary() throws IOException {
        Result r = cli("evaluate", "--checkpoint", checkpoint().toString(), "--json",
                "--threads", "1");
        assertEquals(0, r.status(), r.describe());
        assertEquals("", r.systemOut(), r.describe());
        JsonNode figures = JSON.readTree(r.out());
        JsonNode summary = summary();

        // the same held-out sequences through the same weights: equal to the last bit
        for (String key : HELD_OUT_KEYS) {
            assertTrue(figures.has(key), "evaluate lacks " + key + ": " + r.out());
            assertEquals(summary.get(key).asDouble(), figures.get(key).asDouble(), key);
        }
        assertEquals(3, figures.get("step").asLong());
        assertEquals(summary.get("held_out_images").asInt(),
                figures.get("held_out_images").asInt());
    }

    @Test
    void evaluatePrintsATableWithoutJson() {
        Result r = cli("evaluate", "--checkpoint", checkpoint().toString(), "--threads", "1");
        assertEquals(0, r.status(), r.describe());
        assertTrue(r.out().contains("R^2 (prediction)"), r.out());
        assertTrue(r.out().contains("(step 3)"), r.out());
        assertFalse(r.out().contains("held-out after"), r.out());
    }

    // ---- gradient check ----

    @Test
    void gradcheckPassesAndPrintsJson() throws IOException {
        Result r = cli("gradcheck", "--cases", "2", "--json");
        assertEquals(0, r.status(), r.describe());
        JsonNode result = JSON.readTree(r.out());
        assertTrue(result.get("passed").asBoolean(), r.out());
        // two problems, each checked per-sequence and per-step
        assertEquals(4, result.get("cases").size());
        for (JsonNode c : result.get("cases")) {
            assertTrue(c.get("passed").asBoolean(), c.toString());
        }
    }

    @Test
    void gradcheckPrintsATableWithoutJson() {
        Result r = cli("gradcheck", "--cases", "1");
        assertEquals(0, r.status(), r.describe());
        assertTrue(r.out().contains("passed"), r.out());
        assertFalse(r.out().contains("FAIL"), r.out());
    }

    @Test
    void gradcheckRefusesZeroCases() {
        assertRefusedInOneLine(cli("gradcheck", "--cases", "0"));
    }

    // ---- the library prints nothing ----

    @Test
    void trainingThroughTheLibraryWritesNothingToStandardOutput() throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        List<Report> reports = new ArrayList<>();
        long[] progress = new long[1];
        Path file = folder.resolve("direct.bin");
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));

            // the same run as the command line's tiny one
            TrainConfig config = new TrainConfig(null, 3, 4, 5, 3, 3, "random-walk", 4, 2,
                    "per-sequence", "ema", "adam", 1e-3, 0.9, 0.99, -1.0, 0.5, 0.2, 16, 2, 1,
                    1, "rfp", "diagonal", "cpu", null, 0, false, 1.0, 0.04, 1.0);
            DataSplit split = DataSplit.of(IdxReader.readBundled(), config.holdout());
            try (Training training = new Training(config, split)) {
                training.run(new TrainingListener() {
                    @Override
                    public void progress(long step, long steps) {
                        progress[0] = step;
                    }

                    @Override
                    public void report(Report report) {
                        reports.add(report);
                    }
                });
                TrainingCheckpoint.write(training, file, split.mean(), split.std());
            }
            TrainingCheckpoint.read(file);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertEquals("", stdout.toString(StandardCharsets.UTF_8),
                "the library wrote to System.out");
        assertEquals(3, progress[0]);
        assertEquals(List.of(0L, 2L, 3L),
                reports.stream().map(Report::step).collect(Collectors.toList()));

        // the command line trained the same run: the same figures, step by step
        assertEquals(0, trained.status(), trained.describe());
        List<JsonNode> lines = metricLines();
        for (int i = 0; i < 3; i++) {
            assertEquals(lines.get(i).get("r2").asDouble(), reports.get(i).metrics().r2(),
                    "R^2 at report " + i);
            assertEquals(lines.get(i).get("erank_z").asDouble(),
                    reports.get(i).metrics().z().effectiveRank(), "erank z at report " + i);
        }
        assertNotEquals(reports.get(0).metrics().r2(), reports.get(2).metrics().r2(),
                "three steps of training changed nothing");
    }

    @org.junit.jupiter.api.Test
    void benchQuickJsonHasEveryKeyAndTheMemoryRatiosOfTheRules() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"bench", "--quick", "--json", "--repetitions", "1"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        JsonNode rows = new ObjectMapper().readTree(out.toString());
        assertTrue(rows.isArray() && rows.size() >= 9, out.toString());
        for (JsonNode row : rows) {
            for (String key : new String[] {"algorithm", "device", "n", "m", "T", "batch",
                "state_bytes_per_sequence", "ns_per_fixation"}) {
                assertTrue(row.has(key), "missing " + key + " in " + row);
            }
            assertTrue(row.get("ns_per_fixation").asDouble() > 0, row.toString());
        }
        // RTRL's state over RFP's grows with n; BPTT's grows with T while RFP's stays flat
        java.util.Map<String, Long> bytes = new java.util.HashMap<>();
        for (JsonNode row : rows) {
            bytes.put(row.get("algorithm").asText() + "/" + row.get("n").asInt() + "/"
                    + row.get("T").asInt(), row.get("state_bytes_per_sequence").asLong());
        }
        double ratio16 = (double) bytes.get("rtrl/16/10") / bytes.get("rfp/16/10");
        double ratio64 = (double) bytes.get("rtrl/64/10") / bytes.get("rfp/64/10");
        assertEquals(4.0, ratio64 / ratio16, 0.1, "RTRL/RFP memory in proportion to n");
        assertEquals(bytes.get("rfp/32/10"), bytes.get("rfp/32/160"), "RFP flat in T");
        assertTrue(bytes.get("bptt/32/160") > 10 * bytes.get("bptt/32/10"), "BPTT grows with T");
    }
}
