package org.rjepa.backend.cpu;

import static org.rjepa.model.Block.Wc;
import static org.rjepa.model.Block.bc;

import java.util.function.Consumer;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.learning.Guard;
import org.rjepa.learning.Learner;
import org.rjepa.learning.UpdateMode;
import org.rjepa.learning.UpdateRule;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * What the CPU learners share: all sequences of a batch advance in lock step, one fixation
 * at a time, over chunks of {@value #CHUNK} sequences run on a fixed thread pool; each chunk
 * accumulates its own gradient and the chunks are summed in order, so the gradient is the
 * same for any number of threads. A subclass says what one sequence does at one fixation.
 */
public abstract class CpuLearner implements Learner {
    static final int CHUNK = 8;

    protected final Dimensions dims;
    private final ChunkPool pool;
    final RowWeights weights;
    SequenceState[] sequences = new SequenceState[0];
    private RowGradient[] chunkGrads = new RowGradient[0];
    private double[] chunkLoss = new double[0];
    private final Parameters meanGrad;

    protected CpuLearner(Dimensions dims, int threads) {
        this.dims = dims;
        this.pool = new ChunkPool(threads);
        this.weights = new RowWeights(dims);
        this.meanGrad = new Parameters(dims);
    }

    public Dimensions dims() {
        return dims;
    }

    @Override
    public double train(FixationBatch batch, Parameters params, Target target,
            UpdateRule rule) {
        return train(batch, params, target, rule.guard(), rule.mode(),
                grad -> rule.apply(params, target, grad));
    }

    /**
     * Trains on one batch. {@code update} receives the batch-mean gradient (kept, reused: read
     * it before returning) and must step the weights and the target: once at the end of the
     * batch ({@code PER_SEQUENCE}) or after every fixation that has a loss term
     * ({@code PER_STEP}).
     *
     * @return the batch's mean loss, with the weights as they were when each term was formed
     */
    public double train(FixationBatch batch, Parameters params, Target target, Guard guard,
            UpdateMode mode, Consumer<Parameters> update) {
        if (mode == UpdateMode.PER_STEP && !supportsPerStep()) {
            throw new IllegalArgumentException(algorithm() + " has no per-step update");
        }
        int B = batch.B;
        int T = batch.T;
        if (sequences.length != B) {
            sequences = new SequenceState[B];
            for (int b = 0; b < B; b++) {
                sequences[b] = newSequence();
            }
            chunkGrads = new RowGradient[chunks(B)];
            for (int c = 0; c < chunkGrads.length; c++) {
                chunkGrads[c] = new RowGradient(dims);
            }
            chunkLoss = new double[chunkGrads.length];
        }
        prepare(B, T);
        for (int b = 0; b < B; b++) {
            sequences[b].reset();
        }
        for (int c = 0; c < chunkGrads.length; c++) {
            chunkGrads[c].clear();
            chunkLoss[c] = 0;
        }
        boolean live = guard.liveTarget();
        float[] WcTarget = live ? params.get(Wc) : target.WcBar;
        float[] bcTarget = live ? params.get(bc) : target.bcBar;
        weights.refresh(params, WcTarget);
        double loss = 0;
        int chunks = chunks(B);
        for (int t = 0; t < T; t++) {
            int step = t;
            pool.forEach(chunks, c -> {
                int end = Math.min(B, (c + 1) * CHUNK);
                for (int b = c * CHUNK; b < end; b++) {
                    chunkLoss[c] += step(b, step, batch, params, bcTarget, live, chunkGrads[c],
                            c);
                }
            });
            if (t == T - 1) {
                break;
            }
            if (mode == UpdateMode.PER_STEP || t == T - 2) {
                if (mode == UpdateMode.PER_SEQUENCE) {
                    // a rule that works backwards finishes its sequences before the update
                    pool.forEach(chunks, c -> {
                        int end = Math.min(B, (c + 1) * CHUNK);
                        for (int b = c * CHUNK; b < end; b++) {
                            finishSequence(b, batch, params, chunkGrads[c]);
                        }
                    });
                }
                loss += reduce(chunks, B);
                update.accept(meanGrad);
                if (mode == UpdateMode.PER_STEP) {
                    weights.refresh(params, WcTarget);
                }
            }
        }
        return loss;
    }

    /** A new sequence's state, with whatever the rule keeps. */
    abstract SequenceState newSequence();

    /** Called once per batch before the first fixation, with its sizes. */
    void prepare(int B, int T) {
    }

    /**
     * Sequence b at fixation t: the circuit's step and, when t < T-1, its loss term; the
     * gradient goes into {@code grad} (this chunk's), the rule's own accumulators under
     * {@code chunk}.
     *
     * @return the loss term of this step (0 at the last fixation)
     */
    abstract double step(int b, int t, FixationBatch batch, Parameters p, float[] bcTarget,
            boolean liveTarget, RowGradient grad, int chunk);

    /** After the last loss term of a per-sequence batch: a backward rule runs here. */
    void finishSequence(int b, FixationBatch batch, Parameters p, RowGradient grad) {
    }

    /** Folds a rule's own accumulators of chunk c into its row gradient before the sum. */
    void fold(int chunk, RowGradient grad) {
    }

    /** Whether the rule can step the weights after every fixation. */
    boolean supportsPerStep() {
        return true;
    }

    /** Mean gradient over the batch into {@link #meanGrad}; returns the mean loss so far. */
    private double reduce(int chunks, int B) {
        meanGrad.fill(0);
        double loss = 0;
        float inverse = 1f / B;
        for (int c = 0; c < chunks; c++) {
            fold(c, chunkGrads[c]);
            chunkGrads[c].addInto(meanGrad, inverse);
            chunkGrads[c].clear();
            loss += chunkLoss[c];
            chunkLoss[c] = 0;
        }
        return loss / B;
    }

    static int chunks(int B) {
        return (B + CHUNK - 1) / CHUNK;
    }

    /** The final state h_T of sequence b after the last batch (a copy). */
    public float[] finalState(int b) {
        return sequences[b].hPrev.clone();
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public void close() {
        pool.close();
    }

    static float[] flatten(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] out = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * cols, cols);
        }
        return out;
    }
}
