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
 * alone, so a run is reproducible and does not depend on the thread count. That stream, the
 * weights, the target, the optimizer's state and the loss gathered since the last report are
 * all there is to a run at a step, so a run resumed from a checkpoint of them
 * ({@link TrainingCheckpoint}) continues bit for bit as if it had never stopped.
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
    /** Training loss summed over the batches since the last report, and their number. */
    private double lossSum;
    private long lossBatches;
    /** Seconds trained before this process took over (a resumed run). */
    private double wallBefore;
    /** System.nanoTime() when {@link #run} began, 0 before. */
    private long runStarted;

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

    /**
     * Continues from a checkpoint: its step, the loss gathered since its last report and the
     * seconds trained so far. The arrays are restored in place by the caller.
     */
    public void resumeAt(long step, double lossSum, long lossBatches, double wallS) {
        this.step = step;
        this.lossSum = lossSum;
        this.lossBatches = lossBatches;
        this.wallBefore = wallS;
    }

    /** Training loss summed since the last report (kept in checkpoints). */
    public double lossSum() {
        return lossSum;
    }

    /** Batches since the last report (kept in checkpoints). */
    public long lossBatches() {
        return lossBatches;
    }

    /** Trains until {@code config.steps()} and returns the last report. */
    public Report run(TrainingListener listener) {
        return run(listener, 0);
    }

    /**
     * Trains until {@code config.steps()}, asking the listener for a checkpoint every
     * {@code checkpointEvery} steps (0: never) before the last, and returns the last report.
     *
     * @throws DivergenceException when a loss or weight stops being finite, before any
     *         checkpoint of that step is asked for
     */
    public Report run(TrainingListener listener, int checkpointEvery) {
        long started = System.nanoTime();
        runStarted = started;
        Report last = report(Double.NaN, 0, started);
        if (step == 0) {
            listener.report(last);
        }
        long trainNanos = 0;
        UpdateRule rule = new UpdateRule(config.updateMode(), config.guardMode(), optimizer,
                (float) config.tau(), config.varianceWeight(), config.covarianceWeight(),
                config.varianceTarget());
        while (step < config.steps()) {
            FixationBatch batch = batchAt(step);
            long t0 = System.nanoTime();
            double loss = learner.train(batch, params, target, rule);
            trainNanos += System.nanoTime() - t0;
            step++;
            checkFinite(loss);
            lossSum += loss;
            lossBatches++;
            listener.progress(step, config.steps());
            if (step % config.reportEvery() == 0 || step == config.steps()) {
                double perSecond = trainNanos == 0 ? 0
                        : lossBatches * (double) batch.B * batch.T / (trainNanos * 1e-9);
                last = report(lossSum / lossBatches, perSecond, started);
                listener.report(last);
                lossSum = 0;
                lossBatches = 0;
                trainNanos = 0;
            }
            if (checkpointEvery > 0 && step % checkpointEvery == 0 && step < config.steps()) {
                listener.checkpoint(step);
            }
        }
        return last;
    }

    /** Seconds trained so far by this run, the processes before this one included. */
    public double wallSoFar() {
        return runStarted == 0 ? wallBefore : wallS(runStarted);
    }

    /** Seconds trained so far, this process and those before it. */
    private double wallS(long started) {
        return wallBefore + (System.nanoTime() - started) * 1e-9;
    }

    /**
     * The divergence guard: the loss of the step just taken (formed with the weights before
     * it) and the weights after it must be finite; a finite loss with weights that are not
     * means that the gradient or the update overflowed.
     */
    private void checkFinite(double loss) {
        if (Double.isFinite(loss) && params.allFinite() && target.allFinite()) {
            return;
        }
        String what = !Double.isFinite(loss)
                ? "the loss became " + (Double.isNaN(loss) ? "NaN" : "infinite")
                : "the loss was finite but the gradient step made the "
                        + (params.allFinite() ? "target's weights" : "weights")
                        + " NaN or infinite";
        throw new DivergenceException(step, "training diverged at step " + step + ": " + what
                + "; the step size --lr " + config.lr() + " is likely too large for this data"
                + " (or the pixels hold extreme values)");
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
        return new Report(step, loss, metrics, perSecond, wallS(started));
    }

    @Override
    public void close() {
        learner.close();
        heldOut.close();
    }
}
