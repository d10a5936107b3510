package org.rjepa.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rjepa.data.DataSplit;
import org.rjepa.data.ImageSet;
import org.rjepa.io.AtomicFiles;
import org.rjepa.learning.Report;
import org.rjepa.learning.TrainConfig;
import org.rjepa.learning.Training;
import org.rjepa.learning.TrainingListener;
import org.rjepa.report.Charts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rjepa experiment}: experiments made of several training runs. */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Experiments made of several training runs.",
        subcommands = {ExperimentCommand.CollapseExperiment.class})
final class ExperimentCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The three collapse guards on the same data, seed and budget, side by side. */
    @Command(name = "collapse", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Train with the guards ema, vicreg and none on the same data, seed "
                    + "and budget (the train defaults otherwise); print their final held-out "
                    + "figures side by side and write collapse.png, curves.csv and "
                    + "curves.json into the output folder.")
    static final class CollapseExperiment implements Callable<Integer> {
        /** Flags of rjepa train that the experiment sets itself or has no use for. */
        static final List<String> NOT_PASSED = List.of("--guard", "--steps", "--report-every",
                "--eval-images", "--out", "--resume", "--checkpoint-every", "--no-report",
                "--no-progress");

        static final List<String> GUARDS = List.of("ema", "vicreg", "none");
        static final List<String> KEYS = List.of("step", "loss", "r2", "r2_persistence",
                "erank_z", "erank_h", "std_z_mean", "std_z_min", "cos_z");

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "1500",
                description = "Batches per guard (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--report-every", paramLabel = "N", defaultValue = "100",
                description = "Batches between points of the curves "
                        + "(default: ${DEFAULT-VALUE}).")
        int reportEvery;

        @Option(names = "--eval-images", paramLabel = "N", defaultValue = "1000",
                description = "Held-out images per point (default: ${DEFAULT-VALUE}).")
        int evalImages;

        @Option(names = "--out", paramLabel = "DIR",
                description = "Output folder, new or empty; default: runs/collapse-<time>.")
        Path out;

        @Option(names = "--train", paramLabel = "FLAG", split = " ",
                description = "More flags of rjepa train for every run, in one quoted "
                        + "argument, e.g. --train \"--hidden 64 --seed 2\".")
        List<String> trainFlags = new ArrayList<>();

        @Override
        public Integer call() throws java.io.IOException {
            PrintWriter stdout = spec.commandLine().getOut();
            Path folder = out != null ? out : Path.of("runs", "collapse-"
                    + TrainCommand.runFolder(null).getFileName());
            List<TrainConfig> configs = new ArrayList<>();
            for (String guard : GUARDS) {
                configs.add(config(guard));
            }
            TrainCommand.checkRunFolder(folder);
            TrainConfig first = configs.get(0);
            ImageSet images = TrainCommand.readRunData(first, null,
                    spec.commandLine().getErr());
            DataSplit split = TrainCommand.runSplit(first, images,
                    spec.commandLine().getErr());
            folder = TrainCommand.claimRunFolder(folder, out == null);

            Map<String, List<Map<String, Double>>> curves = new LinkedHashMap<>();
            for (TrainConfig config : configs) {
                stdout.println("guard " + config.guard() + ": " + config.steps() + " batches");
                stdout.flush();
                List<Map<String, Double>> rows = new ArrayList<>();
                ProgressBar bar = new ProgressBar(spec.commandLine().getErr(),
                        ProgressBar.terminalAttached());
                try (Training training = new Training(config, split)) {
                    training.run(new TrainingListener() {
                        @Override
                        public void progress(long step, long total) {
                            bar.update(step, total);
                        }

                        @Override
                        public void report(Report report) {
                            rows.add(numbers(report.toMap()));
                        }
                    });
                }
                bar.clear();
                curves.put(config.guard(), rows);
            }

            stdout.println();
            stdout.print(table(curves));
            write(folder, curves, configs.get(1));
            stdout.println("wrote " + folder.resolve("collapse.png") + ", curves.csv and "
                    + "curves.json");
            return 0;
        }

        private TrainConfig config(String guard) {
            for (String flag : trainFlags) {
                String name = flag.split("=", 2)[0];
                if (NOT_PASSED.contains(name)) {
                    throw new org.rjepa.io.BadInputException("--train cannot pass " + name
                            + ": the experiment sets it itself or has no use for it (so for "
                            + String.join(", ", NOT_PASSED) + "); give the experiment's own "
                            + "--steps, --report-every, --eval-images or --out instead.");
                }
            }
            TrainCommand train = new TrainCommand();
            List<String> args = new ArrayList<>(trainFlags);
            args.addAll(List.of("--steps", String.valueOf(steps), "--report-every",
                    String.valueOf(reportEvery), "--eval-images", String.valueOf(evalImages),
                    "--guard", guard));
            try {
                new CommandLine(train).parseArgs(args.toArray(new String[0]));
            } catch (CommandLine.ParameterException e) {
                throw new org.rjepa.io.BadInputException("--train: " + e.getMessage());
            }
            return train.config().validated();
        }

        private static Map<String, Double> numbers(Map<String, Object> map) {
            Map<String, Double> row = new LinkedHashMap<>();
            for (String key : KEYS) {
                Object v = map.get(key);
                row.put(key, v instanceof Number ? ((Number) v).doubleValue() : Double.NaN);
            }
            return row;
        }

        /** Final figures of each guard, one column per guard. */
        static String table(Map<String, List<Map<String, Double>>> curves) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%-16s", "final figure"));
            for (String guard : curves.keySet()) {
                out.append(String.format(Locale.ROOT, " %12s", guard));
            }
            out.append('\n');
            for (String key : KEYS) {
                out.append(String.format(Locale.ROOT, "%-16s", key));
                for (List<Map<String, Double>> rows : curves.values()) {
                    double v = rows.get(rows.size() - 1).get(key);
                    out.append(' ').append(key.equals("step")
                            ? String.format(Locale.ROOT, "%12.0f", v)
                            : Terminal.spread(v, 12));
                }
                out.append('\n');
            }
            return out.toString();
        }

        private static void write(Path folder, Map<String, List<Map<String, Double>>> curves,
                TrainConfig vicreg) {
            StringBuilder csv = new StringBuilder("guard," + String.join(",", KEYS) + "\n");
            for (Map.Entry<String, List<Map<String, Double>>> run : curves.entrySet()) {
                for (Map<String, Double> row : run.getValue()) {
                    csv.append(run.getKey());
                    for (String key : KEYS) {
                        double v = row.get(key);
                        csv.append(',').append(Double.isFinite(v) ? String.valueOf(v) : "");
                    }
                    csv.append('\n');
                }
            }
            AtomicFiles.writeString(folder.resolve("curves.csv"), csv.toString());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("vicreg_variance_weight", vicreg.varianceWeight());
            json.put("vicreg_covariance_weight", vicreg.covarianceWeight());
            json.put("vicreg_gamma", vicreg.varianceTarget());
            json.put("curves", curves);
            try {
                AtomicFiles.writeString(folder.resolve("curves.json"),
                        TrainCommand.JSON.writeValueAsString(json).replace("NaN", "null")
                                + "\n");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            AtomicFiles.write(folder.resolve("collapse.png"), Charts.png(Charts.tile(List.of(
                    Charts.lines("Effective rank of z", "step", "erank z",
                            Charts.curves(curves, "erank_z"), false),
                    Charts.lines("Effective rank of h", "step", "erank h",
                            Charts.curves(curves, "erank_h"), false),
                    Charts.lines("Smallest spread of z", "step", "std z min",
                            Charts.curves(curves, "std_z_min"), true),
                    Charts.lines("Held-out R^2", "step", "R^2",
                            Charts.curves(curves, "r2"), false)), 2)));
        }
    }
}
