package org.rjepa.learning;

import java.util.SplittableRandom;
import org.rjepa.backend.Backends;
import org.rjepa.data.DataSplit;
import org.rjepa.evaluation.HeldOut;
import org.rjepa.evaluation.Metrics;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.fixation.Fixations;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run with RFP on the CPU: batches of fixation sequences drawn from the training
 * images, an optimizer step per batch ({@code per-sequence}) or per fixation
 * ({@code per-step}), the EMA target following every step, and held-out reports.
 *
 * <p>Batch {@code s} is drawn from a random stream seeded by the run's seed and {@code s}
 * alone, so a run is reproducible and does not depend on the thread count.
 */
public final class Training implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Training.class);

    private final TrainConfig config;
    private final DataSplit split;
    private final Fixations fixations;
    private final Dimensions dims;
    private final Parameters params;
    private final Target target;
    private final Optimizer optimizer;
    private final Learner learner;
    private final HeldOut heldOut;
    private long step;

    public Training(TrainConfig config, DataSplit split) {
        this.config = config.validated();
        this.split = split;
        this.fixations = config.fixationSpec();
        this.dims = fixations.dimensions(config.hidden(), split.train().channels())
                .withDense("dense".equals(config.recurrence()));
        this.params = Parameters.initial(dims, (float) config.gateBias(),
                (float) config.driveRecurrence(), new SplittableRandom(config.seed()));
        this.target = Target.copyOf(params);
        this.optimizer = Optimizer.byName(config.optimizer(), config.lr(), config.momentum(),
                dims);
        this.learner = Backends.learner(config, dims);
        this.heldOut = new HeldOut(split.heldOut(), fixations, config.hidden(),
                config.evalImages(), config.threads());
        LOG.info("training n={} m={} (patch {} + position {}) on {} images, {} held out",
                dims.n(), dims.m(), dims.mx(), dims.m() - dims.mx(), split.train().count(),
                split.heldOut().count());
    }

    public TrainConfig config() {
        return config;
    }

    public Dimensions dims() {
        return dims;
    }

    public Parameters params() {
        return params;
    }

    public Target target() {
        return target;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public long step() {
        return step;
    }

    /** The learner that trains: its algorithm, device and learning-state size. */
    public Learner learner() {
        return learner;
    }

    /** Continues from a checkpoint's step; the arrays are restored in place by the caller. */
    public void resumeAt(long step) {
        this.step = step;
    }

    /** Trains until {@code config.steps()} and returns the last report. */
    public Report run(TrainingListener listener) {
        long started = System.nanoTime();
        Report last = report(Double.NaN, 0, started);
        if (step == 0) {
            listener.report(last);
        }
        double lossSum = 0;
        long batches = 0;
        long trainNanos = 0;
        UpdateRule rule = new UpdateRule(config.updateMode(), config.guardMode(), optimizer,
                (float) config.tau(), config.varianceWeight(), config.covarianceWeight());
        while (step < config.steps()) {
            FixationBatch batch = batchAt(step);
            long t0 = System.nanoTime();
            double loss = learner.train(batch, params, target, rule);
            trainNanos += System.nanoTime() - t0;
            step++;
            if (!Double.isFinite(loss) || !params.allFinite()) {
                throw new DivergenceException(step, "training diverged at step " + step
                        + ": the loss or the weights became " + (Double.isNaN(loss) ? "NaN"
                        : "infinite") + "; the step size --lr " + config.lr()
                        + " is likely too large.");
            }
            lossSum += loss;
            batches++;
            listener.progress(step, config.steps());
            if (step % config.reportEvery() == 0 || step == config.steps()) {
                double perSecond = trainNanos == 0 ? 0
                        : batches * (double) batch.B * batch.T / (trainNanos * 1e-9);
                last = report(lossSum / batches, perSecond, started);
                listener.report(last);
                lossSum = 0;
                batches = 0;
                trainNanos = 0;
            }
        }
        return last;
    }

    /** The held-out figures of the network as it is now. */
    public Metrics evaluate() {
        return heldOut.evaluate(params, target, config.guardMode().liveTarget());
    }

    /** The sequences of batch {@code s}: images with replacement, each with its own seed. */
    FixationBatch batchAt(long s) {
        SplittableRandom random = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + s);
        int B = config.batch();
        int[] images = new int[B];
        long[] seeds = new long[B];
        for (int b = 0; b < B; b++) {
            images[b] = random.nextInt(split.train().count());
            seeds[b] = random.nextLong();
        }
        return FixationBatch.sample(split.train(), images, seeds, fixations, dims.n());
    }

    private Report report(double loss, double perSecond, long started) {
        Metrics metrics = evaluate();
        return new Report(step, loss, metrics, perSecond, (System.nanoTime() - started) * 1e-9);
    }

    @Override
    public void close() {
        learner.close();
        heldOut.close();
    }
}
