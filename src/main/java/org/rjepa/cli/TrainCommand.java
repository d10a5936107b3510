package org.rjepa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
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
import org.rjepa.data.ImageSources;
import org.rjepa.data.ReadOptions;
import org.rjepa.fixation.FixationPolicy;
import org.rjepa.io.AtomicFiles;
import org.rjepa.io.BadInputException;
import org.rjepa.io.IoErrors;
import org.rjepa.io.RunLock;
import org.rjepa.learning.DivergenceException;
import org.rjepa.learning.Report;
import org.rjepa.learning.TrainConfig;
import org.rjepa.learning.Training;
import org.rjepa.learning.TrainingCheckpoint;
import org.rjepa.learning.TrainingListener;
import org.rjepa.learning.UpdateMode;
import org.rjepa.model.Dimensions;
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

    @Option(names = "--data", paramLabel = "PATH",
            description = "A folder of IDX files, of CIFAR-10 batches or of images (PNG, "
                    + "JPEG, GIF, BMP, TIFF; labels from subfolders), or one IDX or CIFAR-10 "
                    + "file; default: the bundled Fashion-MNIST test split.")
    Path data;

    @Option(names = "--data-format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto, idx, cifar10 or images (default: ${DEFAULT-VALUE}).")
    String dataFormat;

    @Option(names = "--image-size", paramLabel = "S",
            description = "Scale each image's shorter side to S and crop the centre S x S "
                    + "(default: as read; images of different sizes go to the smallest side).")
    Integer imageSize;

    @Option(names = "--skip-bad",
            description = "Skip bad images of a folder with a warning each, not refuse them.")
    boolean skipBad;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "0",
            description = "Write checkpoint.bin every N batches too, not only at the end "
                    + "(default: ${DEFAULT-VALUE}, the end only).")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its checkpoint.bin; only --steps "
                    + "(to extend it), --checkpoint-every, --threads, --no-progress, "
                    + "--no-report and --data (the same images, moved) may be given with it.")
    Path resume;

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
            description = "Fixation policy: uniform, random-walk, saliency, raster or "
                    + "scanpath:FILE (a CSV of image,order,x,y) (default: ${DEFAULT-VALUE}).")
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
            description = "Collapse guard: ema, vicreg or none (default: ${DEFAULT-VALUE}).")
    String guard;

    @Option(names = "--vicreg-variance", paramLabel = "LAMBDA",
            description = "lambda_v, weight of the vicreg guard's variance hinge "
                    + "(default: 1.0).")
    Double vicregVariance;

    @Option(names = "--vicreg-covariance", paramLabel = "LAMBDA",
            description = "lambda_c, weight of the vicreg guard's covariance penalty "
                    + "(default: 0.04).")
    Double vicregCovariance;

    @Option(names = "--vicreg-gamma", paramLabel = "GAMMA",
            description = "gamma, the standard deviation the vicreg guard's hinge asks of "
                    + "each dimension of the predictions and of the targets; VICReg's is 1, "
                    + "the tanh targets' spread is lower (default: 0.1).")
    Double vicregGamma;

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

    @Option(names = "--no-report", description = "Do not draw the pictures and report.html "
            + "at the end (rjepa report RUN_DIR draws them later).")
    boolean noReport;

    @Override
    @SuppressWarnings("try") // the lock is held by being open
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (checkpointEvery < 0) {
            throw new BadInputException("--checkpoint-every must be 0 (the end only) or more, "
                    + "not " + checkpointEvery + ".");
        }
        if (resume != null) {
            // the lock first: nothing of the folder is read or removed while another writes
            Resume.checkFlags(spec);
            Resume.checkFolder(resume);
            try (RunLock lock = RunLock.acquire(resume)) {
                TrainingCheckpoint.Loaded resumed = Resume.load(resume);
                TrainConfig config = Resume.config(resumed, resume, spec, steps, threads, data);
                Prepared run = prepare(config, stderr);
                Resume.checkSameData(resumed, run.split(), resume);
                return train(config, run, resume, resumed, stdout, stderr);
            }
        }
        TrainConfig config = config().validated();
        Path runDir = runFolder(out);
        if (out != null) {
            checkRunFolder(runDir);
        }
        Prepared run = prepare(config, stderr);
        runDir = claimRunFolder(runDir, out == null);
        try (RunLock lock = RunLock.acquire(runDir)) {
            checkRunFolder(runDir);
            return train(config, run, runDir, null, stdout, stderr);
        }
    }

    /** What a run needs before it writes anything: its device, its images and their split. */
    private record Prepared(Backends.Choice device, ImageSet images, DataSplit split) {
    }

    /** Chooses the device, reads and checks the data, and refuses a run beyond the heap. */
    private static Prepared prepare(TrainConfig config, PrintWriter stderr) {
        Backends.Choice device = Backends.choose(config);
        ImageSet images = readData(config.data() == null ? null : Path.of(config.data()),
                config.dataFormat(), config.imageSize(), config.skipBad(), config.patch(),
                stderr);
        DataSplit split = runSplit(config, images, stderr);
        checkMemory(config, images.channels(), split.heldOut().count());
        return new Prepared(device, images, split);
    }

    /**
     * The split a run trains and evaluates on: the images its policy can look at (all, but for
     * a recorded scanpath of some), a fixed fifth of them held out. Train, evaluate, report and
     * the experiment all split this way, so they agree on which images are held out.
     */
    static DataSplit runSplit(TrainConfig config, ImageSet images, PrintWriter err) {
        checkPatchFits(images, config.patch());
        return DataSplit.of(looksAt(config.policyObject(), images, err), config.holdout());
    }

    /** Trains into a run folder that this process holds, and writes everything it makes. */
    private int train(TrainConfig config, Prepared run, Path runDir,
            TrainingCheckpoint.Loaded resumed, PrintWriter stdout, PrintWriter stderr)
            throws IOException {
        Backends.Choice device = run.device();
        ImageSet images = run.images();
        DataSplit split = run.split();
        Map<String, String> table = new LinkedHashMap<>();
        table.put("data", images.source() + " (" + images.count() + " images "
                + images.height() + "x" + images.width() + "x" + images.channels() + ")");
        table.put("split", split.train().count() + " train / " + split.heldOut().count()
                + " held out (" + Math.min(config.evalImages(), split.heldOut().count())
                + " evaluated)");
        table.put("run folder", runDir.toString());
        if (resumed != null) {
            table.put("resumed at step", String.valueOf(resumed.step()));
        }
        for (Map.Entry<String, Object> e : configRows(config).entrySet()) {
            table.put(e.getKey(), String.valueOf(e.getValue()));
        }
        table.put("device", device.line());
        Terminal.configTable(stdout, "rjepa train", table);

        ProgressBar bar = new ProgressBar(stderr, !noProgress && ProgressBar.terminalAttached());
        Path metricsFile = runDir.resolve("metrics.jsonl");
        Path checkpointFile = runDir.resolve("checkpoint.bin");
        StringBuilder metricsLines = new StringBuilder(resumed == null ? ""
                : Resume.metricsUpTo(metricsFile, resumed.step()));
        java.util.concurrent.atomic.AtomicLong lastCheckpoint =
                new java.util.concurrent.atomic.AtomicLong(resumed == null ? -1 : resumed.step());
        Report last;
        try (Training training = new Training(config, split)) {
            if (resumed != null) {
                Resume.restore(training, resumed, checkpointFile);
                AtomicFiles.writeString(metricsFile, metricsLines.toString());
            }
            stdout.println(MetricLines.HEADER);
            TrainingListener listener = new TrainingListener() {
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

                @Override
                public void checkpoint(long step) {
                    TrainingCheckpoint.write(training, checkpointFile, split.mean(),
                            split.std(), split.train().count());
                    lastCheckpoint.set(step);
                }
            };
            Thread onInterrupt = new Thread(() -> {
                bar.clear();
                stderr.println("rjepa: stopped at step " + training.step() + "; "
                        + (lastCheckpoint.get() >= 0 ? "the last checkpoint, of step "
                        + lastCheckpoint.get() + ", is in " + checkpointFile + "; continue with "
                        + "./rjepa train --resume " + runDir : "no checkpoint had been written "
                        + "(--checkpoint-every N writes them as training goes)") + ".");
                stderr.flush();
            });
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try {
                last = training.run(listener, checkpointEvery);
            } catch (DivergenceException e) {
                bar.clear();
                long kept = lastCheckpoint.get();
                throw new DivergenceException(e.step(), e.getMessage() + "; " + (kept >= 0
                        ? "the last good checkpoint, of step " + kept + ", is kept in "
                        + checkpointFile : "no checkpoint had been written (--checkpoint-every "
                        + "N writes them as training goes)") + ".");
            } finally {
                removeHook(onInterrupt);
            }
            bar.clear();
            TrainingCheckpoint.write(training, checkpointFile, split.mean(), split.std(),
                    split.train().count());
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
        if (!noReport) {
            java.util.List<Path> files = ReportCommand.write(runDir, split);
            stdout.println("wrote " + files.get(files.size() - 1) + " and "
                    + (files.size() - 1) + " pictures beside it");
        }
        return 0;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs and says where the run stopped
        }
    }

    TrainConfig config() {
        if (imageSize != null && imageSize < 1) {
            throw new BadInputException("--image-size must be at least 1 pixel, not "
                    + imageSize + ".");
        }
        if (!"auto".equals(dataFormat)) {
            ImageSources.byName(dataFormat);
        }
        UpdateMode mode = UpdateMode.byName(update);
        double rate = lr != null ? lr : mode == UpdateMode.PER_STEP ? 3e-4 : 1e-3;
        double rateTau = tau != null ? tau : mode == UpdateMode.PER_STEP ? 0.998 : 0.99;
        int cpu = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        // absolute, so that resume, evaluate and report find the data from any folder
        return new TrainConfig(data == null ? null : absolute(data), steps, batch, hidden,
                patch, fixations, policy, saccade, frequencies, update, guard, optimizer, rate,
                momentum, rateTau, -1.0, 0.5, holdout, evalImages, reportEvery, seed, cpu,
                algorithm, recurrence, device, data == null ? null
                        : "auto".equals(dataFormat) ? ImageSources.detect(data) : dataFormat,
                imageSize == null ? 0 : imageSize, skipBad,
                vicregVariance != null ? vicregVariance : TrainConfig.VARIANCE_WEIGHT,
                vicregCovariance != null ? vicregCovariance : TrainConfig.COVARIANCE_WEIGHT,
                vicregGamma != null ? vicregGamma : TrainConfig.VARIANCE_TARGET);
    }

    /**
     * The images of a run as its config read them, or those of {@code override} (detected
     * anew) when it is given: for evaluate, report and experiment.
     */
    static ImageSet readRunData(TrainConfig config, Path override, PrintWriter err) {
        Path source = override != null ? override
                : config.data() == null ? null : Path.of(config.data());
        if (override == null && source != null && !Files.exists(source)) {
            throw new BadInputException("the run's data, " + source + ", is not there any more;"
                    + " give --data where the same images are now.");
        }
        return readData(source, override != null ? "auto" : config.dataFormat(),
                config.imageSize(), config.skipBad(), config.patch(), err);
    }

    /**
     * Reads the images a run trains on: the bundled split when {@code data} is null, else
     * {@code data} as {@code format}; notices (a skipped image, a size chosen) go to
     * {@code err}, one line each.
     */
    static ImageSet readData(Path data, String format, int imageSize, boolean skipBad,
            int patch, PrintWriter err) {
        if (data == null) {
            ImageSet bundled = IdxReader.readBundled();
            return imageSize > 0 ? ImageSources.toSquare(bundled, imageSize) : bundled;
        }
        ReadOptions options = new ReadOptions(imageSize, Math.max(1, patch), skipBad,
                notice -> err.println("rjepa: " + Main.sentence(notice)));
        return ImageSources.read(data, format, options);
    }

    static Map<String, Object> configRows(TrainConfig c) {
        Map<String, Object> rows = new LinkedHashMap<>();
        rows.put("steps x batch", c.steps() + " x " + c.batch());
        rows.put("hidden n", c.hidden());
        rows.put("patch k / fixations T", c.patch() + " / " + c.fixations());
        rows.put("policy", c.policy() + ("random-walk".equals(c.policy())
                ? " (step " + c.saccade() + " px)" : ""));
        rows.put("frequencies L", c.frequencies());
        rows.put("rule / circuit", c.algorithm() + " / " + c.recurrence());
        rows.put("update / guard", c.update() + " / " + c.guard()
                + ("vicreg".equals(c.guard()) ? " (lambda_v " + c.varianceWeight()
                + ", lambda_c " + c.covarianceWeight() + ", gamma " + c.varianceTarget() + ")"
                : ""));
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

    /**
     * Refuses, before anything is written, a batch whose fixations and learning state would
     * not fit in the heap: a rough count of what the batch and the learner allocate.
     */
    static void checkMemory(TrainConfig config, int channels, int heldOut) {
        Dimensions d = config.fixationSpec().dimensions(config.hidden(), channels)
                .withDense("dense".equals(config.recurrence()));
        long n = d.n();
        long T = config.fixations();
        long P = d.circuitParameters();
        long perSequence = T * (d.m() + d.ms() + 4);
        perSequence += switch (config.algorithm()) {
            case "rtrl" -> 2 * n * P + n * n;
            case "bptt" -> T * 8 * n;
            default -> P;
        };
        // the weights, the optimizer's moments, the chunks' gradients and the target, and
        // the held-out states with the collapse metrics' copies of them, in double precision
        double bytes = 4.0 * (config.batch() * (double) perSequence + 8.0 * P)
                + 8.0 * 3 * Math.min(config.evalImages(), heldOut) * T * n;
        double heap = Runtime.getRuntime().maxMemory();
        if (bytes > 0.8 * heap) {
            throw new BadInputException(String.format(java.util.Locale.ROOT, "--batch %d with "
                    + "--hidden %d, --fixations %d and --eval-images %d needs about %.1f GiB "
                    + "for the batch, the learning state and the held-out states, more than "
                    + "the %.1f GiB Java may use here; lower them, or raise the limit "
                    + "(RJEPA_JAVA_OPTS=-Xmx16g ./rjepa ...).", config.batch(), config.hidden(),
                    config.fixations(), Math.min(config.evalImages(), heldOut),
                    bytes / (1L << 30), heap / (1L << 30)));
        }
    }

    /**
     * Checks that the policy can look at the images and keeps those it has fixations for,
     * saying so when that is not all of them (a recorded scanpath of a few images).
     */
    static ImageSet looksAt(FixationPolicy policy, ImageSet images, PrintWriter err) {
        policy.check(images);
        ImageSet seen = policy.looksAt(images);
        if (seen.count() < images.count()) {
            err.println("rjepa: the " + policy.name() + " policy has fixations for "
                    + seen.count() + " of the " + images.count() + " images; the run uses "
                    + "those.");
        }
        return seen;
    }

    static String absolute(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    static Path runFolder(Path requested) {
        if (requested != null && requested.toString().isBlank()) {
            throw new BadInputException("--out must name a folder.");
        }
        return requested != null ? requested : Path.of("runs",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /**
     * Refuses a run folder that holds files already (its lock file aside), so that no earlier
     * run is overwritten.
     */
    static void checkRunFolder(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("--out " + dir + " is a file, not a folder.");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.anyMatch(e -> !e.getFileName().toString().equals(RunLock.NAME))) {
                    throw new BadInputException("--out " + dir + " already holds files; choose "
                            + "a new or empty folder so that no earlier run is overwritten.");
                }
            }
        }
    }

    /**
     * Creates the run folder once the data has been read and checked. A default name that
     * another run took in the same second gets {@code -2}, {@code -3} ... instead: the folder
     * is created here, atomically, so two runs never share one.
     *
     * @return the folder, which exists
     */
    static Path claimRunFolder(Path dir, boolean defaultName) {
        try {
            if (!defaultName) {
                Files.createDirectories(dir);
                return dir;
            }
            Files.createDirectories(dir.toAbsolutePath().getParent());
            for (int k = 1; ; k++) {
                Path candidate = k == 1 ? dir : dir.resolveSibling(dir.getFileName() + "-" + k);
                try {
                    Files.createDirectory(candidate);
                    return candidate;
                } catch (FileAlreadyExistsException e) {
                    // taken by a run that started in the same second: try the next name
                }
            }
        } catch (IOException e) {
            throw new BadInputException("cannot create the run folder " + dir + " ("
                    + IoErrors.reason(e) + ").");
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
