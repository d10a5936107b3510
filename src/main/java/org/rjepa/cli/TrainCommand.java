package org.rjepa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.rjepa.backend.Backends;
import org.rjepa.data.DataSplit;
import org.rjepa.data.ImageSet;
import org.rjepa.data.IdxReader;
import org.rjepa.io.AtomicFiles;
import org.rjepa.io.BadInputException;
import org.rjepa.learning.Report;
import org.rjepa.learning.TrainConfig;
import org.rjepa.learning.Training;
import org.rjepa.learning.TrainingCheckpoint;
import org.rjepa.learning.TrainingListener;
import org.rjepa.learning.UpdateMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rjepa train}: trains with RFP and writes a run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the recurrent circuit with RFP on fixation sequences and write "
                + "metrics.jsonl, summary.json and checkpoint.bin into the run folder.")
final class TrainCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "MNIST-format folder (IDX files, gzipped or raw); default: the "
                    + "bundled Fashion-MNIST test split.")
    Path data;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder, new or empty; default: runs/<timestamp>.")
    Path out;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "1500",
            description = "Batches (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64",
            description = "Sequences per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--hidden", paramLabel = "n", defaultValue = "128",
            description = "Hidden units n (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--patch", paramLabel = "k", defaultValue = "8",
            description = "Patch side k in pixels (default: ${DEFAULT-VALUE}).")
    int patch;

    @Option(names = "--fixations", paramLabel = "T", defaultValue = "8",
            description = "Fixations per sequence T (default: ${DEFAULT-VALUE}).")
    int fixations;

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = "random-walk",
            description = "Fixation policy: uniform or random-walk (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--saccade", paramLabel = "PIXELS", defaultValue = "4",
            description = "Random-walk step in pixels (default: ${DEFAULT-VALUE}).")
    double saccade;

    @Option(names = "--frequencies", paramLabel = "L", defaultValue = "2",
            description = "Fourier frequencies L per axis (default: ${DEFAULT-VALUE}).")
    int frequencies;

    @Option(names = "--update", paramLabel = "MODE", defaultValue = "per-sequence",
            description = "per-sequence (exact gradient) or per-step (online) "
                    + "(default: ${DEFAULT-VALUE}).")
    String update;

    @Option(names = "--guard", paramLabel = "GUARD", defaultValue = "ema",
            description = "Collapse guard: ema or none (default: ${DEFAULT-VALUE}).")
    String guard;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "adam or sgd (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Step size (default: 1e-3 per-sequence, 3e-4 per-step).")
    Double lr;

    @Option(names = "--momentum", paramLabel = "MU", defaultValue = "0.9",
            description = "SGD momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--tau", paramLabel = "TAU",
            description = "EMA rate of the target (default: 0.99 per-sequence, 0.998 per-step).")
    Double tau;

    @Option(names = "--holdout", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Fraction of images held out (default: ${DEFAULT-VALUE}).")
    double holdout;

    @Option(names = "--eval-images", paramLabel = "N", defaultValue = "1000",
            description = "Held-out images evaluated per report (default: ${DEFAULT-VALUE}).")
    int evalImages;

    @Option(names = "--report-every", paramLabel = "N", defaultValue = "100",
            description = "Batches between reports (default: ${DEFAULT-VALUE}).")
    int reportEvery;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1",
            description = "Seed of weights and fixations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N",
            description = "CPU threads (default: all available processors).")
    Integer threads;

    @Option(names = "--algorithm", paramLabel = "RULE", defaultValue = "rfp",
            description = "Learning rule: rfp, rtrl or bptt (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--recurrence", paramLabel = "KIND", defaultValue = "diagonal",
            description = "diagonal (RFP is exact) or dense (default: ${DEFAULT-VALUE}).")
    String recurrence;

    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "auto",
            description = "auto (a GPU when one is usable), cpu or cuda "
                    + "(default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--no-progress", description = "Do not draw the progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        TrainConfig config = config().validated();
        Backends.Choice device = Backends.choose(config);
        Path runDir = runFolder(out);
        checkRunFolder(runDir);

        ImageSet images = data == null ? IdxReader.readBundled() : IdxReader.readFolder(data);
        checkPatchFits(images, config.patch());
        DataSplit split = DataSplit.of(images, config.holdout());

        Map<String, String> table = new LinkedHashMap<>();
        table.put("data", images.source() + " (" + images.count() + " images "
                + images.height() + "x" + images.width() + "x" + images.channels() + ")");
        table.put("split", split.train().count() + " train / " + split.heldOut().count()
                + " held out (" + Math.min(config.evalImages(), split.heldOut().count())
                + " evaluated)");
        table.put("run folder", runDir.toString());
        for (Map.Entry<String, Object> e : configRows(config).entrySet()) {
            table.put(e.getKey(), String.valueOf(e.getValue()));
        }
        table.put("device", device.line());
        Terminal.configTable(stdout, "rjepa train", table);

        ProgressBar bar = new ProgressBar(stderr, !noProgress && ProgressBar.terminalAttached());
        StringBuilder metricsLines = new StringBuilder();
        Path metricsFile = runDir.resolve("metrics.jsonl");
        Report last;
        try (Training training = new Training(config, split)) {
            createRunFolder(runDir);
            stdout.println(MetricLines.HEADER);
            last = training.run(new TrainingListener() {
                @Override
                public void progress(long step, long total) {
                    bar.update(step, total);
                }

                @Override
                public void report(Report report) {
                    bar.clear();
                    stdout.println(MetricLines.line(report));
                    stdout.flush();
                    metricsLines.append(TrainCommand.toJsonLine(report.toMap())).append('\n');
                    AtomicFiles.writeString(metricsFile, metricsLines.toString());
                }
            });
            bar.clear();
            TrainingCheckpoint.write(training, runDir.resolve("checkpoint.bin"), split.mean(),
                    split.std());
        }

        Map<String, Object> summary = new LinkedHashMap<>(last.toMap());
        summary.put("held_out_images", Math.min(config.evalImages(), split.heldOut().count()));
        summary.put("config", JSON.readTree(config.toJson()));
        AtomicFiles.writeString(runDir.resolve("summary.json"),
                JSON.writeValueAsString(summary) + "\n");
        stdout.println();
        stdout.println(MetricLines.summary(last));
        stdout.println("wrote " + runDir.resolve("metrics.jsonl") + ", summary.json and "
                + "checkpoint.bin");
        return 0;
    }

    TrainConfig config() {
        UpdateMode mode = UpdateMode.byName(update);
        double rate = lr != null ? lr : mode == UpdateMode.PER_STEP ? 3e-4 : 1e-3;
        double rateTau = tau != null ? tau : mode == UpdateMode.PER_STEP ? 0.998 : 0.99;
        int cpu = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        return new TrainConfig(data == null ? null : data.toString(), steps, batch, hidden,
                patch, fixations, policy, saccade, frequencies, update, guard, optimizer, rate,
                momentum, rateTau, -1.0, 0.5, holdout, evalImages, reportEvery, seed, cpu,
                algorithm, recurrence, device);
    }

    static Map<String, Object> configRows(TrainConfig c) {
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("steps x batch", c.steps() + " x " + c.batch());
        rows.put("hidden n", c.hidden());
        rows.put("patch k / fixations T", c.patch() + " / " + c.fixations());
        rows.put("policy", c.policy() + ("random-walk".equals(c.policy())
                ? " (step " + c.saccade() + " px)" : ""));
        rows.put("frequencies L", c.frequencies());
        rows.put("rule / circuit / device", c.algorithm() + " / " + c.recurrence() + " / "
                + c.device());
        rows.put("update / guard", c.update() + " / " + c.guard());
        rows.put("optimizer", c.optimizer() + ", lr " + c.lr()
                + ("sgd".equals(c.optimizer()) ? ", momentum " + c.momentum() : ""));
        rows.put("target EMA tau", c.tau());
        rows.put("seed / threads", c.seed() + " / " + c.threads());
        return rows;
    }

    static void checkPatchFits(ImageSet images, int patch) {
        if (patch > Math.min(images.height(), images.width())) {
            throw new BadInputException("--patch " + patch + " is larger than the images of "
                    + images.source() + " (" + images.height() + "x" + images.width() + ").");
        }
    }

    static Path runFolder(Path requested) {
        return requested != null ? requested : Path.of("runs",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /** Refuses a run folder that holds files already, so that no earlier run is overwritten. */
    static void checkRunFolder(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("--out " + dir + " is a file, not a folder.");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new BadInputException("--out " + dir + " already holds files; choose "
                            + "a new or empty folder so that no earlier run is overwritten.");
                }
            }
        }
    }

    /** Creates the run folder once the data has been read and checked. */
    static void createRunFolder(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BadInputException("cannot create the run folder " + dir + " ("
                    + e.getMessage() + ").");
        }
    }

    static String toJsonLine(Map<String, Object> map) {
        try {
            return new ObjectMapper().writeValueAsString(map);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
