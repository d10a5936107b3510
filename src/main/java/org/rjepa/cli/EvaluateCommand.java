package org.rjepa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rjepa.data.DataSplit;
import org.rjepa.data.ImageSet;
import org.rjepa.evaluation.HeldOut;
import org.rjepa.evaluation.Metrics;
import org.rjepa.evaluation.Probe;
import org.rjepa.learning.TrainConfig;
import org.rjepa.learning.TrainingCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rjepa evaluate}: the held-out figures of a checkpoint. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load a checkpoint and print its held-out figures, on the same held-out "
                + "images and fixations that training reported.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A checkpoint.bin written by rjepa train.")
    Path checkpoint;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Images as rjepa train --data takes them; default: the data the run "
                    + "trained on.")
    Path data;

    @Option(names = "--threads", description = "CPU threads (default: all processors).")
    Integer threads;

    @Option(names = "--json", description = "Print the figures as one JSON object.")
    boolean json;

    @Option(names = "--probe", description = "Also fit a linear probe (multinomial logistic "
            + "regression) on the states of the training images and report its test "
            + "accuracy on the held-out images, beside the same probe on an untrained network "
            + "and on raw pixels; writes probe.json.")
    boolean probe;

    @Option(names = "--probe-policy", paramLabel = "NAME", defaultValue = "raster",
            description = "Fixation policy of the probe's sequences (default: ${DEFAULT-VALUE}).")
    String probePolicy;

    @Option(names = "--probe-fixations", paramLabel = "T", defaultValue = "16",
            description = "Fixations per probe sequence (default: ${DEFAULT-VALUE}: a 4 x 4 "
                    + "raster over the whole image).")
    int probeFixations;

    @Option(names = "--probe-features", paramLabel = "READOUT", defaultValue = "states",
            description = "What the probe reads of each sequence: states (every h_t in order, "
                    + "T n values) or last-mean ([h_T ; mean h_t], 2n values) (default: "
                    + "${DEFAULT-VALUE}).")
    String probeFeatures;

    @Option(names = "--probe-images", paramLabel = "N",
            description = "Use only the first N training and N/4 held-out images in the probe "
                    + "(default: all), for a quick look.")
    Integer probeImages;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where probe.json goes (default: beside the checkpoint); an "
                    + "earlier file there is kept as NAME-1, NAME-2 ...")
    Path probeOut;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TrainingCheckpoint.Loaded loaded = TrainingCheckpoint.read(checkpoint);
        TrainConfig config = loaded.config();
        ImageSet images = TrainCommand.readRunData(config, data, spec.commandLine().getErr());
        if (images.channels() * config.patch() * config.patch() != loaded.dims().mx()) {
            throw new org.rjepa.io.BadInputException(images.source() + " has "
                    + images.channels() + " channels, but the checkpoint was trained on "
                    + loaded.dims().mx() / (config.patch() * config.patch()) + ".");
        }
        DataSplit split = TrainCommand.runSplit(config, images, spec.commandLine().getErr());
        int cpu = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (cpu < 1) {
            throw new org.rjepa.io.BadInputException("--threads must be at least 1, not "
                    + cpu + ".");
        }
        Metrics metrics;
        int evaluated;
        try (HeldOut heldOut = new HeldOut(split.heldOut(), config.fixationSpec(),
                config.hidden(), config.evalImages(), cpu)) {
            metrics = heldOut.evaluate(loaded.params(), loaded.target(),
                    config.guardMode().liveTarget());
            evaluated = heldOut.sequences();
        }
        Map<String, Object> probeFigures = null;
        if (probe) {
            DataSplit probeSplit = split;
            if (probeImages != null) {
                if (probeImages < 8) {
                    throw new org.rjepa.io.BadInputException("--probe-images must be at least "
                            + "8, not " + probeImages + ".");
                }
                probeSplit = new DataSplit(first(split.train(), probeImages),
                        first(split.heldOut(), Math.max(2, probeImages / 4)), split.mean(),
                        split.std());
            }
            // three probes (trained, untrained, pixels), each a minute or so on 2 cores
            ProgressBar bar = new ProgressBar(spec.commandLine().getErr(),
                    ProgressBar.terminalAttached());
            probeFigures = ProbeRun.run(loaded, config, probeSplit, probePolicy, probeFixations,
                    Probe.Readout.byName(probeFeatures), cpu, bar);
            Path file = probeOut != null ? probeOut
                    : checkpoint.toAbsolutePath().resolveSibling("probe.json");
            Path kept = org.rjepa.io.AtomicFiles.keepEarlier(file);
            org.rjepa.io.AtomicFiles.writeString(file,
                    TrainCommand.JSON.writeValueAsString(probeFigures) + "\n");
            probeFigures.put("file", file.toString());
            if (kept != null) {
                spec.commandLine().getErr().println("rjepa: the earlier " + file.getFileName()
                        + " is kept as " + kept.getFileName() + ".");
            }
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("step", loaded.step());
        figures.putAll(new org.rjepa.learning.Report(loaded.step(), Double.NaN, metrics, 0, 0)
                .toMap());
        figures.remove("loss");
        figures.remove("fixations_per_s");
        figures.remove("wall_s");
        figures.put("held_out_images", evaluated);
        if (probeFigures != null) {
            figures.put("probe", probeFigures);
        }
        if (json) {
            out.println(TrainCommand.toJsonLine(figures));
        } else {
            out.println("checkpoint " + checkpoint + " (step " + loaded.step() + "), "
                    + evaluated + " held-out sequences of " + images.source());
            out.println(MetricLines.summary(new org.rjepa.learning.Report(loaded.step(),
                    Double.NaN, metrics, 0, 0)).replaceFirst("^held-out after .*\\n", ""));
            if (probeFigures != null) {
                out.println();
                out.print(ProbeRun.table(probeFigures));
                out.println("wrote " + probeFigures.get("file"));
            }
        }
        return 0;
    }

    private static ImageSet first(ImageSet images, int count) {
        int[] which = new int[Math.min(count, images.count())];
        for (int i = 0; i < which.length; i++) {
            which[i] = i;
        }
        return images.subset(which);
    }
}
