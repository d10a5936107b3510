package org.rjepa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rjepa.data.DataSplit;
import org.rjepa.io.AtomicFiles;
import org.rjepa.io.BadInputException;
import org.rjepa.io.IoErrors;
import org.rjepa.learning.TrainConfig;
import org.rjepa.learning.Training;
import org.rjepa.learning.TrainingCheckpoint;
import org.rjepa.model.Block;
import org.rjepa.model.Parameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code rjepa train --resume RUN_DIR}: the checks before a run continues from its
 * checkpoint.bin, and the restoring of its state. A resumed run keeps every flag of its
 * config; only those in {@link #MAY_CHANGE}, which change no figure of the run, may be given.
 */
final class Resume {
    /** Flags allowed beside --resume: --steps only to extend the run. */
    static final Set<String> MAY_CHANGE = Set.of("--resume", "--steps", "--checkpoint-every",
            "--threads", "--no-progress", "--no-report", "--data");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(Resume.class);

    private Resume() {
    }

    /** Refuses the flags that would change a resumed run. */
    static void checkFlags(CommandSpec spec) {
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (!MAY_CHANGE.contains(option.longestName())) {
                throw new BadInputException(option.longestName() + " cannot be given with "
                        + "--resume: a resumed run keeps the config in its checkpoint (only "
                        + "--steps to extend it, --checkpoint-every, --threads, --no-progress,"
                        + " --no-report, and --data for the same images moved elsewhere, may "
                        + "be given).");
            }
        }
    }

    /** Refuses a --resume that names no folder. */
    static void checkFolder(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new BadInputException("--resume " + runDir + " is not a run folder"
                    + (Files.exists(runDir) ? "" : " (it does not exist)") + ".");
        }
    }

    /**
     * Reads RUN_DIR/checkpoint.bin, refusing another engine version's, and removes what a
     * killed run left half-written; the caller holds the folder's lock.
     */
    static TrainingCheckpoint.Loaded load(Path runDir) {
        Path file = runDir.resolve("checkpoint.bin");
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(runDir + " has no checkpoint.bin to resume from (the"
                    + " run stopped before its first checkpoint; --checkpoint-every N writes"
                    + " them as it goes).");
        }
        TrainingCheckpoint.Loaded loaded = TrainingCheckpoint.read(file);
        String version = loaded.engineVersion();
        if (!TrainingCheckpoint.ENGINE_VERSION.equals(version)) {
            throw new BadInputException(file + " was written by engine version "
                    + (version.isEmpty() ? "unknown (older than resumable runs)" : version)
                    + ", but this is " + TrainingCheckpoint.ENGINE_VERSION + "; resume it with "
                    + "that version or start a new run.");
        }
        removeLeftovers(runDir);
        return loaded;
    }

    /** Deletes the half-written temporary files of a run that was killed while writing. */
    private static void removeLeftovers(Path runDir) {
        try {
            int removed = AtomicFiles.removeLeftovers(runDir, "checkpoint.bin", "metrics.jsonl",
                    "summary.json");
            if (removed > 0) {
                LOG.info("removed {} half-written temporary file(s) from {}", removed, runDir);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the temporary files left in {}: {}", runDir, e.toString());
        }
    }

    /** The run's config, with --data, --steps and --threads when they were given. */
    static TrainConfig config(TrainingCheckpoint.Loaded loaded, Path runDir, CommandSpec spec,
            int steps, Integer threads, Path data) {
        TrainConfig config = loaded.config();
        if (data == null && config.data() != null && !Files.exists(Path.of(config.data()))) {
            throw new BadInputException("the data of the run in " + runDir + ", "
                    + config.data() + ", is not there any more; give --data where the same "
                    + "images are now.");
        }
        config = config.resumed(data != null ? TrainCommand.absolute(data) : config.data(),
                spec.commandLine().getParseResult().hasMatchedOption("--steps") ? steps
                        : config.steps(), threads != null ? threads : config.threads());
        config = config.validated();
        if (config.steps() <= loaded.step()) {
            throw new BadInputException("the run in " + runDir + " has reached step "
                    + loaded.step() + " of " + config.steps() + "; give a larger --steps to "
                    + "extend it.");
        }
        return config;
    }

    /** Refuses data that differ from those the run began on (count or pixel statistics). */
    static void checkSameData(TrainingCheckpoint.Loaded loaded, DataSplit split, Path runDir) {
        int trainImages = loaded.run().path("train_images").asInt(-1);
        if (trainImages != split.train().count()
                || Double.doubleToLongBits(loaded.pixelMean())
                != Double.doubleToLongBits(split.mean())
                || Double.doubleToLongBits(loaded.pixelStd())
                != Double.doubleToLongBits(split.std())) {
            throw new BadInputException("the data of the run in " + runDir + " have changed "
                    + "since it began (" + trainImages + " training images of pixel mean "
                    + loaded.pixelMean() + " then, " + split.train().count() + " of "
                    + split.mean() + " now); a run resumes only on the same images.");
        }
    }

    /** Copies the checkpoint's weights, target and optimizer state into a new training. */
    static void restore(Training training, TrainingCheckpoint.Loaded loaded, Path file) {
        if (!training.dims().equals(loaded.dims())) {
            throw new BadInputException(file + " holds a circuit of " + loaded.dims()
                    + ", but its config makes " + training.dims() + ".");
        }
        requireFinite(file, "", loaded.params());
        for (Block b : Block.values()) {
            float[] from = loaded.params().get(b);
            System.arraycopy(from, 0, training.params().get(b), 0, from.length);
        }
        System.arraycopy(loaded.target().WcBar, 0, training.target().WcBar, 0,
                loaded.target().WcBar.length);
        System.arraycopy(loaded.target().bcBar, 0, training.target().bcBar, 0,
                loaded.target().bcBar.length);
        if (!training.target().allFinite()) {
            throw new BadInputException(file + " holds a target that is NaN or infinite; it "
                    + "cannot be resumed.");
        }
        TrainingCheckpoint.restoreOptimizer(file, loaded, training.optimizer());
        for (Map.Entry<String, Parameters> state : training.optimizer().state().entrySet()) {
            requireFinite(file, state.getKey() + ".", state.getValue());
        }
        JsonNode run = loaded.run();
        training.resumeAt(loaded.step(), run.path("loss_sum").asDouble(0),
                run.path("loss_batches").asLong(0), run.path("wall_s").asDouble(0));
    }

    private static void requireFinite(Path file, String prefix, Parameters p) {
        for (Block b : Block.values()) {
            for (float v : p.get(b)) {
                if (!Float.isFinite(v)) {
                    throw new BadInputException(file + " holds a value that is " + (Float.isNaN(v)
                            ? "NaN" : "infinite") + " in " + prefix + b.name() + "; it cannot "
                            + "be resumed.");
                }
            }
        }
    }

    /**
     * The lines of metrics.jsonl up to {@code step}: those written after the checkpoint are
     * dropped, since the resumed run writes them again.
     */
    static String metricsUpTo(Path file, long step) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new BadInputException(file + " could not be read (" + IoErrors.reason(e) + ").",
                    e);
        }
        StringBuilder kept = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                if (JSON.readTree(line).path("step").asLong(Long.MAX_VALUE) > step) {
                    break;
                }
            } catch (IOException e) {
                throw new BadInputException(file + " has a line that is not JSON ("
                        + line.substring(0, Math.min(40, line.length())) + ").");
            }
            kept.append(line).append('\n');
        }
        return kept.toString();
    }
}
