package org.rjepa.learning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rjepa.io.BadInputException;
import org.rjepa.io.Checkpoint;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * A training run as a {@link Checkpoint}: the weights under their block names ({@code Wa},
 * {@code ba}, ...), the target under {@code target.WcBar} and {@code target.bcBar}, the
 * optimizer's state under {@code <state>.<block>} (for example {@code adam.m.Wa}), and a
 * config object holding the training config, the dimensions, the pixel standardisation and
 * the optimizer's step count, and what a resumed run needs beside them: the engine version,
 * the number of training images, the loss gathered since the last report and the seconds
 * trained. The batches need no state: batch {@code s} is drawn from the seed and {@code s}.
 */
public final class TrainingCheckpoint {
    /** The engine version written into checkpoints; a run resumes only on the same one. */
    public static final String ENGINE_VERSION = "0.1.0";

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingCheckpoint() {
    }

    /** What a checkpoint holds, restored. */
    public record Loaded(TrainConfig config, Dimensions dims, Parameters params, Target target,
            double pixelMean, double pixelStd, long step, long optimizerSteps,
            Checkpoint checkpoint, JsonNode run) {
        /** The engine version that wrote it, or "" for a checkpoint from before versions. */
        public String engineVersion() {
            return run.path("engine_version").asText("");
        }
    }

    /**
     * Writes the run as it is now; refuses weights that are not finite, so a diverged run
     * never replaces its last good checkpoint.
     */
    public static void write(Training training, Path file, double pixelMean, double pixelStd) {
        write(training, file, pixelMean, pixelStd, -1);
    }

    /** {@link #write(Training, Path, double, double)}, noting the number of training images. */
    public static void write(Training training, Path file, double pixelMean, double pixelStd,
            int trainImages) {
        if (!training.params().allFinite() || !training.target().allFinite()) {
            throw new IllegalStateException("refusing to checkpoint weights that are not "
                    + "finite at step " + training.step());
        }
        Dimensions d = training.dims();
        ObjectNode config = JSON.createObjectNode();
        config.put("engine", "rjepa");
        config.put("engine_version", ENGINE_VERSION);
        try {
            config.set("train", JSON.readTree(training.config().toJson()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ObjectNode dims = config.putObject("dims");
        dims.put("n", d.n());
        dims.put("m", d.m());
        dims.put("ms", d.ms());
        dims.put("mx", d.mx());
        dims.put("dense", d.dense());
        config.put("pixel_mean", pixelMean);
        config.put("pixel_std", pixelStd);
        config.put("optimizer_steps", training.optimizer().steps());
        config.put("train_images", trainImages);
        config.put("loss_sum", training.lossSum());
        config.put("loss_batches", training.lossBatches());
        config.put("wall_s", training.wallSoFar());

        List<Checkpoint.Tensor> tensors = new ArrayList<>();
        addBlocks(tensors, "", training.params());
        tensors.add(new Checkpoint.Tensor("target.WcBar", new int[] {d.n(), d.m()},
                training.target().WcBar));
        tensors.add(new Checkpoint.Tensor("target.bcBar", new int[] {d.n()},
                training.target().bcBar));
        for (Map.Entry<String, Parameters> state : training.optimizer().state().entrySet()) {
            addBlocks(tensors, state.getKey() + ".", state.getValue());
        }
        new Checkpoint(config.toString(), training.step(), tensors).write(file);
    }

    public static Loaded read(Path file) {
        Checkpoint checkpoint = Checkpoint.read(file);
        JsonNode config;
        try {
            config = JSON.readTree(checkpoint.configJson());
        } catch (IOException e) {
            throw new BadInputException(file + " has a config that is not JSON.");
        }
        if (!"rjepa".equals(config.path("engine").asText()) || !config.has("train")
                || !config.has("dims")) {
            throw new BadInputException(file + " is a checkpoint, but not of an rjepa "
                    + "training run.");
        }
        TrainConfig train = TrainConfig.fromJson(config.get("train").toString());
        JsonNode dims = config.get("dims");
        Dimensions d;
        try {
            d = new Dimensions(dims.path("n").asInt(), dims.path("m").asInt(),
                    dims.path("ms").asInt(), dims.path("mx").asInt(),
                    dims.path("dense").asBoolean(false));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + " has impossible dimensions (" + e.getMessage()
                    + ").");
        }
        Parameters params = new Parameters(d);
        readBlocks(file, checkpoint, "", params);
        float[] WcBar = tensor(file, checkpoint, "target.WcBar", d.n() * d.m());
        float[] bcBar = tensor(file, checkpoint, "target.bcBar", d.n());
        return new Loaded(train, d, params, Target.of(WcBar, bcBar),
                config.path("pixel_mean").asDouble(), config.path("pixel_std").asDouble(1),
                checkpoint.step(), config.path("optimizer_steps").asLong(), checkpoint, config);
    }

    /** Fills the optimizer's state arrays from a checkpoint (for resuming). */
    public static void restoreOptimizer(Path file, Loaded loaded, Optimizer optimizer) {
        for (Map.Entry<String, Parameters> state : optimizer.state().entrySet()) {
            readBlocks(file, loaded.checkpoint(), state.getKey() + ".", state.getValue());
        }
        optimizer.restoreSteps(loaded.optimizerSteps());
    }

    private static void addBlocks(List<Checkpoint.Tensor> tensors, String prefix,
            Parameters p) {
        Dimensions d = p.dims();
        for (Block b : Block.values()) {
            tensors.add(new Checkpoint.Tensor(prefix + b.name(),
                    new int[] {b.rows(d), b.cols(d)}, p.get(b)));
        }
    }

    private static void readBlocks(Path file, Checkpoint checkpoint, String prefix,
            Parameters into) {
        Dimensions d = into.dims();
        for (Block b : Block.values()) {
            float[] data = tensor(file, checkpoint, prefix + b.name(), b.size(d));
            System.arraycopy(data, 0, into.get(b), 0, data.length);
        }
    }

    private static float[] tensor(Path file, Checkpoint checkpoint, String name, int size) {
        if (!checkpoint.has(name)) {
            throw new BadInputException(file + " has no array " + name + ".");
        }
        float[] data = checkpoint.tensor(name).data();
        if (data.length != size) {
            throw new BadInputException(file + " holds " + data.length + " values in " + name
                    + ", but its dimensions call for " + size + ".");
        }
        return data;
    }
}
