package org.rjepa.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.rjepa.data.DataSplit;
import org.rjepa.evaluation.Probe;
import org.rjepa.fixation.Fixations;
import org.rjepa.fixation.Policies;
import org.rjepa.io.BadInputException;
import org.rjepa.learning.TrainConfig;
import org.rjepa.learning.TrainingCheckpoint;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * {@code rjepa evaluate --probe}: the linear probe on the trained network, on an untrained one
 * of the same size and policy (weights drawn as training draws them, from the run's seed),
 * and on raw pixels, with the training images to fit and the held-out images to test.
 */
final class ProbeRun {
    private ProbeRun() {
    }

    /** The figures of probe.json, in order. */
    static Map<String, Object> run(TrainingCheckpoint.Loaded loaded, TrainConfig config,
            DataSplit split, String policyName, int T, Probe.Readout readout, int threads,
            ProgressBar bar) {
        if (!split.train().hasLabels() || !split.heldOut().hasLabels()) {
            throw new BadInputException(split.train().source() + " has no labels, which the "
                    + "probe needs.");
        }
        if (T < 2 || T > 1000) {
            throw new BadInputException("--probe-fixations must be between 2 and 1000, not "
                    + T + ".");
        }
        long started = System.nanoTime();
        Fixations fixations = new Fixations(Policies.byName(policyName, config.saccade()),
                T, config.patch(), config.frequencies());
        // a recorded scanpath covers some images: the probe fits and scores on those
        split = new DataSplit(fixations.policy().looksAt(split.train()),
                fixations.policy().looksAt(split.heldOut()), split.mean(), split.std());
        int[] trainLabels = Probe.labels(split.train());
        int[] testLabels = Probe.labels(split.heldOut());
        boolean live = config.guardMode().liveTarget();

        Parameters untrained = Parameters.initial(loaded.dims(), (float) config.gateBias(),
                (float) config.driveRecurrence(), new SplittableRandom(config.seed()));
        bar.update(0, 3);
        Probe.Result trained = Probe.run(
                Probe.networkFeatures(split.train(), fixations, loaded.params(),
                        loaded.target(), live, threads, readout), trainLabels,
                Probe.networkFeatures(split.heldOut(), fixations, loaded.params(),
                        loaded.target(), live, threads, readout), testLabels);
        bar.update(1, 3);
        Target untrainedTarget = Target.copyOf(untrained);
        Probe.Result random = Probe.run(
                Probe.networkFeatures(split.train(), fixations, untrained, untrainedTarget,
                        live, threads, readout), trainLabels,
                Probe.networkFeatures(split.heldOut(), fixations, untrained, untrainedTarget,
                        live, threads, readout), testLabels);
        bar.update(2, 3);
        Probe.Result pixels = Probe.run(Probe.pixelFeatures(split.train()), trainLabels,
                Probe.pixelFeatures(split.heldOut()), testLabels);
        bar.update(3, 3);
        bar.clear();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("trained", trained.test());
        figures.put("untrained", random.test());
        figures.put("raw_pixels", pixels.test());
        int[] sizes = Probe.validationSizes(split.train().count());
        figures.put("train_images", split.train().count());
        figures.put("fit_images", sizes[0]);
        figures.put("validation_images", sizes[1]);
        figures.put("test_images", split.heldOut().count());
        figures.put("policy", fixations.policy().name());
        figures.put("fixations", fixations.T());
        figures.put("features", readout.formula());
        figures.put("step", loaded.step());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("trained", detail(trained));
        details.put("untrained", detail(random));
        details.put("raw_pixels", detail(pixels));
        figures.put("details", details);
        figures.put("wall_s", (System.nanoTime() - started) * 1e-9);
        return figures;
    }

    private static Map<String, Object> detail(Probe.Result r) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("features", r.features());
        map.put("l2", r.l2());
        map.put("validation_accuracy", r.validation());
        map.put("test_accuracy", r.test());
        return map;
    }

    /** The printed table: one row per representation. */
    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> figures) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "linear probe: %s fit / %s validation / %s test "
                + "images, %s fixations by %s%n", figures.get("fit_images"),
                figures.get("validation_images"), figures.get("test_images"),
                figures.get("fixations"), figures.get("policy")));
        out.append(String.format(Locale.ROOT, "  %-12s %8s %8s %10s %8s%n", "features",
                "width", "l2", "validation", "test"));
        Map<String, Object> details = (Map<String, Object>) figures.get("details");
        for (String name : new String[] {"trained", "untrained", "raw_pixels"}) {
            Map<String, Object> d = (Map<String, Object>) details.get(name);
            out.append(String.format(Locale.ROOT, "  %-12s %8d %8.0e %10.4f %8.4f%n",
                    name.replace('_', ' '), d.get("features"), d.get("l2"),
                    d.get("validation_accuracy"), d.get("test_accuracy")));
        }
        return out.toString();
    }
}
