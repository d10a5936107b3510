package org.rjepa.learning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.rjepa.fixation.FixationPolicy;
import org.rjepa.fixation.Fixations;
import org.rjepa.fixation.Policies;
import org.rjepa.io.BadInputException;

/**
 * Everything that defines a training run. It is written whole into {@code summary.json} and
 * into every checkpoint, so a run can be evaluated or repeated from its folder alone.
 *
 * @param data            a folder or file of images (IDX, CIFAR-10, image files), or null for
 *                        the bundled Fashion-MNIST split
 * @param steps           optimizer updates per sequence batch ({@code per-sequence}) or
 *                        batches ({@code per-step})
 * @param batch           sequences per batch, B
 * @param hidden          hidden units, n
 * @param patch           patch side, k
 * @param fixations       fixations per sequence, T
 * @param policy          fixation policy name
 * @param saccade         random-walk step, pixels (standard deviation per axis)
 * @param frequencies     Fourier frequencies per axis of the position codes, L
 * @param update          per-sequence or per-step
 * @param guard           collapse guard: ema or none
 * @param optimizer       adam or sgd
 * @param lr              step size
 * @param momentum        SGD momentum
 * @param tau             EMA rate of the target: {@code Wbar <- tau Wbar + (1 - tau) W}
 * @param gateBias        initial b_a
 * @param driveRecurrence initial r_c
 * @param holdout         fraction of the images held out, by a fixed seed, from training
 * @param evalImages      held-out images evaluated at each report (one sequence each)
 * @param reportEvery     steps between reports
 * @param seed            seed of the weights and the training fixations
 * @param threads         CPU threads
 * @param algorithm       the learning rule: rfp, rtrl or bptt
 * @param recurrence      diagonal (the class where RFP is exact) or dense
 * @param device          auto, cpu or cuda
 * @param dataFormat      idx, cifar10 or images (as detected or given), or null for the
 *                        bundled split
 * @param imageSize       side every image is scaled and cropped to, or 0 for as read
 * @param skipBad         bad images of a folder are skipped rather than refused
 * @param varianceWeight  lambda_v of the vicreg guard (its variance hinge)
 * @param covarianceWeight lambda_c of the vicreg guard (its squared off-diagonal covariance)
 * @param varianceTarget  gamma of the vicreg guard: the standard deviation its variance hinge
 *                        asks of each dimension of the predictions and of the targets
 *                        (1 in VICReg)
 */
public record TrainConfig(String data, int steps, int batch, int hidden, int patch,
        int fixations, String policy, double saccade, int frequencies, String update,
        String guard, String optimizer, double lr, double momentum, double tau, double gateBias,
        double driveRecurrence, double holdout, int evalImages, int reportEvery, long seed,
        int threads, String algorithm, String recurrence, String device, String dataFormat,
        int imageSize, boolean skipBad, double varianceWeight, double covarianceWeight,
        double varianceTarget) {

    /** The largest random-walk step, pixels: far beyond any image this engine reads. */
    static final double MAX_SACCADE = 100_000;

    /** lambda_v of the vicreg guard unless told otherwise (README, "Evaluation"). */
    public static final double VARIANCE_WEIGHT = 1.0;
    /** lambda_c of the vicreg guard unless told otherwise. */
    public static final double COVARIANCE_WEIGHT = 0.04;
    /**
     * gamma of the vicreg guard unless told otherwise: below VICReg's 1, because the tanh
     * targets' spread is well under 1; 0.1 (with lambda_v 1) had the best R^2 of a short
     * sweep while keeping the targets' spread and rank (README, "Collapse guards").
     */
    public static final double VARIANCE_TARGET = 0.1;

    /** The learning rules by the names the command line uses. */
    public static final java.util.List<String> ALGORITHMS = java.util.List.of("rfp", "rtrl",
            "bptt");
    /** The circuit's recurrence: element-wise (diagonal) or with full matrices (dense). */
    public static final java.util.List<String> RECURRENCES = java.util.List.of("diagonal",
            "dense");
    /** Where training runs: a usable GPU when there is one (auto), the CPU, or CUDA. */
    public static final java.util.List<String> DEVICES = java.util.List.of("auto", "cpu",
            "cuda");

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Refuses values that cannot make a run, in one sentence naming the flag. */
    public TrainConfig validated() {
        positive("--steps", steps);
        positive("--batch", batch);
        positive("--hidden", hidden);
        positive("--patch", patch);
        positive("--threads", threads);
        positive("--eval-images", evalImages);
        positive("--report-every", reportEvery);
        if (fixations < 2) {
            throw new BadInputException("--fixations must be at least 2 (one prediction needs "
                    + "two fixations), not " + fixations + ".");
        }
        if (frequencies < 0 || frequencies > 16) {
            throw new BadInputException("--frequencies must be between 0 and 16, not "
                    + frequencies + ".");
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new BadInputException("--lr must be a positive number, not " + lr + ".");
        }
        if (!(tau >= 0 && tau < 1)) {
            throw new BadInputException("--tau must be in [0, 1), not " + tau + ".");
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new BadInputException("--momentum must be in [0, 1), not " + momentum + ".");
        }
        if (!(holdout > 0 && holdout < 1)) {
            throw new BadInputException("--holdout must be a fraction in (0, 1), not "
                    + holdout + ".");
        }
        if (!(saccade >= 0 && saccade <= MAX_SACCADE)) {
            throw new BadInputException("--saccade must be a step between 0 and "
                    + (int) MAX_SACCADE + " pixels, not " + saccade + ".");
        }
        if ((long) hidden * (fixations + 2L * patch * patch) > 50_000_000L) {
            throw new BadInputException("--hidden " + hidden + " with --patch " + patch
                    + " and --fixations " + fixations + " is too large for this engine's CPU "
                    + "path.");
        }
        policyObject();
        updateMode();
        guardMode();
        oneOf("--algorithm", algorithm, ALGORITHMS);
        oneOf("--recurrence", recurrence, RECURRENCES);
        oneOf("--device", device, DEVICES);
        if ("bptt".equals(algorithm) && updateMode() == UpdateMode.PER_STEP) {
            throw new BadInputException("--algorithm bptt has no per-step update: its gradient "
                    + "exists only once a sequence is over; use --update per-sequence.");
        }
        if (imageSize < 0) {
            throw new BadInputException("--image-size must be at least 1 pixel, not "
                    + imageSize + ".");
        }
        if (!(varianceWeight >= 0) || !(covarianceWeight >= 0)
                || Double.isInfinite(varianceWeight + covarianceWeight)) {
            throw new BadInputException("--vicreg-variance and --vicreg-covariance must be "
                    + "finite and >= 0, not " + varianceWeight + " and " + covarianceWeight + ".");
        }
        if (!(varianceTarget > 0) || Double.isInfinite(varianceTarget)) {
            throw new BadInputException("--vicreg-gamma must be a finite number > 0, not "
                    + varianceTarget + ".");
        }
        if (guardMode() == Guard.VICREG && batch < 2) {
            throw new BadInputException("--guard vicreg needs --batch of at least 2 (it "
                    + "measures the spread of the predictions over the batch), not " + batch
                    + ".");
        }
        if (!"adam".equals(optimizer) && !"sgd".equals(optimizer)) {
            throw new BadInputException("unknown optimizer '" + optimizer
                    + "'; expected adam or sgd.");
        }
        return this;
    }

    public FixationPolicy policyObject() {
        return Policies.byName(policy, saccade);
    }

    public UpdateMode updateMode() {
        return UpdateMode.byName(update);
    }

    public Guard guardMode() {
        return Guard.byName(guard);
    }

    public Fixations fixationSpec() {
        return new Fixations(policyObject(), fixations, patch, frequencies);
    }

    /**
     * This config resumed: the same run with its images read from {@code newData}, for
     * {@code newSteps} in all, on {@code newThreads} CPU threads, none of which changes a
     * figure of the batches already trained.
     */
    public TrainConfig resumed(String newData, int newSteps, int newThreads) {
        return new TrainConfig(newData, newSteps, batch, hidden, patch, fixations, policy,
                saccade, frequencies, update, guard, optimizer, lr, momentum, tau, gateBias,
                driveRecurrence, holdout, evalImages, reportEvery, seed, newThreads, algorithm,
                recurrence, device, dataFormat, imageSize, skipBad, varianceWeight,
                covarianceWeight, varianceTarget);
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The config of a summary or checkpoint. Runs written before gamma was a parameter lack
     * {@code variance_target}; their hinge asked for 1, so that is what they get.
     */
    public static TrainConfig fromJson(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(json);
            if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object
                    && !object.has("variance_target")) {
                object.put("variance_target", 1.0);
            }
            return JSON.treeToValue(tree, TrainConfig.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException("the run's config is not a valid training config ("
                    + e.getOriginalMessage() + ").");
        } catch (IllegalArgumentException e) {
            throw new BadInputException("the run's config is not a valid training config ("
                    + e.getMessage() + ").");
        }
    }

    private static void oneOf(String flag, String value, java.util.List<String> names) {
        if (!names.contains(value)) {
            throw new BadInputException("unknown " + flag + " '" + value + "'; expected one of "
                    + String.join(", ", names) + ".");
        }
    }

    private static void positive(String flag, long value) {
        if (value < 1) {
            throw new BadInputException(flag + " must be at least 1, not " + value + ".");
        }
    }
}
