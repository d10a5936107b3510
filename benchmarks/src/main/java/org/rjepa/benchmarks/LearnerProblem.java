package org.rjepa.benchmarks;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.rjepa.backend.Backends;
import org.rjepa.backend.cpu.CpuLearner;
import org.rjepa.backend.cuda.CudaRfpLearner;
import org.rjepa.data.ImageSet;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.fixation.Fixations;
import org.rjepa.fixation.RandomWalkPolicy;
import org.rjepa.learning.Guard;
import org.rjepa.learning.Learner;
import org.rjepa.learning.SgdMomentum;
import org.rjepa.learning.UpdateMode;
import org.rjepa.learning.UpdateRule;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Gaussian;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * One prepared training problem: a learner, a batch of B fixation sequences of T steps on
 * random 28 x 28 grey images, initial weights and a target. {@link #train} forms the batch's
 * gradient with an update that leaves the weights where they are, so every call does the
 * same work on the same numbers: on the CPU the update does nothing; on the GPU, whose
 * learner runs its optimizer on the device, it is SGD with a step of {@value #NO_STEP}, far
 * below the rounding of any weight in float32.
 *
 * <p>The circuit has the command line's default sizes apart from n: patch side k = 8 on one
 * channel and L = 2 frequencies, so {@code m = k*k + 4L = 72} and {@code ms = 8}. The
 * learner runs on one thread: the figures are per sequence, the benchmark machine has two
 * cores, and a one-thread pool allocates nothing per fixation, so that {@code -prof gc}
 * sees the learner's own allocation.
 */
final class LearnerProblem implements AutoCloseable {
    static final int PATCH = 8;
    static final int FREQUENCIES = 2;
    static final int IMAGE_SIDE = 28;
    static final int IMAGES = 16;
    static final double SACCADE = 4;
    static final int THREADS = 1;
    static final float NO_STEP = 1e-30f;

    /** The update that leaves the weights and the target where they are. */
    private static final Consumer<Parameters> KEEP_WEIGHTS = grad -> { };

    final String algorithm;
    final int B;
    final int T;
    final Dimensions dims;
    private final Learner learner;
    private final FixationBatch batch;
    private final Parameters params;
    private final Target target;
    private final UpdateRule keepWeights;

    private LearnerProblem(String algorithm, Learner learner, FixationBatch batch,
            Parameters params) {
        this.algorithm = algorithm;
        this.B = batch.B;
        this.T = batch.T;
        this.dims = batch.dims;
        this.learner = learner;
        this.batch = batch;
        this.params = params;
        this.target = Target.copyOf(params);
        this.keepWeights = new UpdateRule(UpdateMode.PER_SEQUENCE, Guard.EMA,
                new SgdMomentum(dims, NO_STEP, 0f), 0.99f);
    }

    /**
     * A problem of {@code B} sequences of {@code T} fixations for an n-unit diagonal circuit,
     * trained once, so that the learner has allocated its state before anything is measured.
     */
    static LearnerProblem open(String algorithm, int n, int T, int B, long seed) {
        return open(algorithm, "cpu", n, T, B, seed);
    }

    /** The same problem for RFP on the GPU ({@code device} cuda) or any rule on the CPU. */
    static LearnerProblem open(String algorithm, String device, int n, int T, int B,
            long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ImageSet images = randomImages(random);
        int[] which = new int[B];
        long[] seeds = new long[B];
        for (int b = 0; b < B; b++) {
            which[b] = random.nextInt(IMAGES);
            seeds[b] = random.nextLong();
        }
        Fixations fixations = new Fixations(new RandomWalkPolicy(SACCADE), T, PATCH,
                FREQUENCIES);
        FixationBatch batch = FixationBatch.sample(images, which, seeds, fixations, n);

        // the command line's initial weights: b_a = -1, r_c = 0.5
        Parameters params = Parameters.initial(batch.dims, -1f, 0.5f, random.split());
        Learner learner = "cuda".equals(device) ? CudaRfpLearner.open(batch.dims)
                : Backends.cpuLearner(algorithm, UpdateMode.PER_SEQUENCE, batch.dims, THREADS);
        LearnerProblem problem = new LearnerProblem(algorithm, learner, batch, params);
        problem.train();
        return problem;
    }

    /** The circuit's input size m for these patches and codes: {@code k*k + 4L}. */
    static int inputSize() {
        return PATCH * PATCH + 4 * FREQUENCIES;
    }

    /** The gradient of the whole batch, weights kept: returns the batch's mean loss. */
    double train() {
        if (learner instanceof CpuLearner cpu) {
            return cpu.train(batch, params, target, Guard.EMA, UpdateMode.PER_SEQUENCE,
                    KEEP_WEIGHTS);
        }
        return learner.train(batch, params, target, keepWeights);
    }

    /** The learner's own count of its learning state per sequence, from its arrays. */
    long stateBytesPerSequence() {
        return learner.stateBytesPerSequence();
    }

    @Override
    public void close() {
        learner.close();
    }

    /** Standard-normal pixels: patches and targets that are neither constant nor tiny. */
    private static ImageSet randomImages(SplittableRandom random) {
        float[] pixels = new float[IMAGES * IMAGE_SIDE * IMAGE_SIDE];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) Gaussian.next(random);
        }
        return new ImageSet(pixels, null, IMAGES, IMAGE_SIDE, IMAGE_SIDE, 1, "random");
    }
}
