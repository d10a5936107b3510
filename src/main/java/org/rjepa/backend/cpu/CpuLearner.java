package org.rjepa.backend.cpu;

import static org.rjepa.model.Block.Wc;
import static org.rjepa.model.Block.bc;

import java.util.function.Consumer;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.learning.Guard;
import org.rjepa.learning.Learner;
import org.rjepa.learning.UpdateMode;
import org.rjepa.learning.UpdateRule;
import org.rjepa.learning.Vicreg;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * What the CPU learners share: all sequences of a batch advance in lock step, one fixation
 * at a time, over chunks of {@value #CHUNK} sequences run on a fixed thread pool; each chunk
 * accumulates its own gradient and the chunks are summed in order, so the gradient is the
 * same for any number of threads. A subclass says what one sequence does with its error at
 * one fixation.
 *
 * <p>Each fixation has two phases. First every sequence steps its circuit and predicts the
 * next target; then, with the vicreg guard, the term over the batch's predictions adds its
 * gradient to each sequence's error and the term over the batch's live targets its gradient
 * to W_c and b_c (they need all sequences, which is why the sequences move in lock step);
 * then every sequence back-projects its error and its rule moves its traces.
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
    /** The batch's predictions and targets at one fixation, the vicreg term's gradient of
     * either, [B][n], and one sequence's share of the targets' term as an error, n. */
    private double[][] yhatBatch = new double[0][];
    private double[][] zBatch = new double[0][];
    private double[][] vicregGrad = new double[0][];
    private float[] targetError = new float[0];

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
        return train(batch, params, target, rule.guard(), rule.mode(), rule.varianceWeight(),
                rule.covarianceWeight(), rule.varianceTarget(),
                grad -> rule.apply(params, target, grad));
    }

    /** {@link #train(FixationBatch, Parameters, Target, Guard, UpdateMode, double, double,
     * double, Consumer)} without the vicreg term's weights. */
    public double train(FixationBatch batch, Parameters params, Target target, Guard guard,
            UpdateMode mode, Consumer<Parameters> update) {
        return train(batch, params, target, guard, mode, 0, 0, 1, update);
    }

    /**
     * Trains on one batch. {@code update} receives the batch-mean gradient (kept, reused: read
     * it before returning) and must step the weights and the target: once at the end of the
     * batch ({@code PER_SEQUENCE}) or after every fixation that has a loss term
     * ({@code PER_STEP}).
     *
     * @param varianceWeight   lambda_v, used with guard {@code vicreg}
     * @param covarianceWeight lambda_c, used with guard {@code vicreg}
     * @param varianceTarget   gamma, the spread the vicreg hinge asks of each prediction
     * @return the batch's mean loss, with the weights as they were when each term was formed
     */
    public double train(FixationBatch batch, Parameters params, Target target, Guard guard,
            UpdateMode mode, double varianceWeight, double covarianceWeight,
            double varianceTarget, Consumer<Parameters> update) {
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
        boolean vicreg = guard == Guard.VICREG;
        if (vicreg && B < 2) {
            throw new IllegalArgumentException("the vicreg guard needs 2 sequences or more");
        }
        double loss = 0;
        double regular = 0;
        int chunks = chunks(B);
        for (int t = 0; t < T; t++) {
            int step = t;
            boolean term = t < T - 1;
            // every sequence steps and, but at the last fixation, predicts the next target
            pool.forEach(chunks, c -> {
                int end = Math.min(B, (c + 1) * CHUNK);
                for (int b = c * CHUNK; b < end; b++) {
                    SequenceState s = sequences[b];
                    CircuitStepCpu.advance(dims, weights, params, batch.u(b, step), s);
                    if (term) {
                        chunkLoss[c] += CircuitStepCpu.predict(dims, weights, params, bcTarget,
                                live, batch.u(b, step + 1), batch.s(b, step), T, s,
                                chunkGrads[c]);
                    }
                }
            });
            if (term && vicreg) {
                regular += addVicreg(batch, step, varianceWeight, covarianceWeight,
                        varianceTarget);
            }

            // the error reaches the predictor and the rule's traces
            pool.forEach(chunks, c -> {
                int end = Math.min(B, (c + 1) * CHUNK);
                for (int b = c * CHUNK; b < end; b++) {
                    SequenceState s = sequences[b];
                    if (term) {
                        CircuitStepCpu.backProject(dims, weights, batch.s(b, step), s,
                                chunkGrads[c]);
                        learn(b, step, batch, params, chunkGrads[c], c);
                    }
                    s.advance();
                }
            });
            if (!term) {
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
                loss += reduce(chunks, B) + regular;
                regular = 0;
                update.accept(meanGrad);
                if (mode == UpdateMode.PER_STEP) {
                    weights.refresh(params, WcTarget);
                }
            }
        }
        return loss;
    }

    /**
     * The vicreg term of the batch's predictions at this fixation and the same term of the
     * batch's targets z_{t+1}. The predictions' gradient is added to every sequence's error,
     * the targets' flows through the live targets into W_c and b_c; both are scaled by
     * B / (T-1) because the error and the chunk gradients are per sequence and the batch mean
     * divides by B again, while each term is counted once per step of the T-1.
     *
     * @return the terms' share of the batch loss, (V(yhat) + V(z)) / (T-1)
     */
    private double addVicreg(FixationBatch batch, int t, double varianceWeight,
            double covarianceWeight, double varianceTarget) {
        int B = batch.B;
        int T = batch.T;
        int n = dims.n();
        if (yhatBatch.length != B) {
            yhatBatch = new double[B][n];
            zBatch = new double[B][n];
            vicregGrad = new double[B][n];
            targetError = new float[n];
        }
        for (int b = 0; b < B; b++) {
            float[] yhat = sequences[b].yhat;
            float[] z = sequences[b].z;
            for (int i = 0; i < n; i++) {
                yhatBatch[b][i] = yhat[i];
                zBatch[b][i] = z[i];
            }
        }
        double scale = B / (double) (T - 1);
        double value = Vicreg.term(yhatBatch, varianceWeight, covarianceWeight,
                varianceTarget, vicregGrad);
        for (int b = 0; b < B; b++) {
            float[] e = sequences[b].e;
            for (int i = 0; i < n; i++) {
                e[i] += (float) (scale * vicregGrad[b][i]);
            }
        }

        // the live targets' own term: dL/dz = -targetError, as for the prediction's error
        value += Vicreg.term(zBatch, varianceWeight, covarianceWeight, varianceTarget,
                vicregGrad);
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < n; i++) {
                targetError[i] = (float) (-scale * vicregGrad[b][i]);
            }
            RowGradient grad = chunkGrads[b / CHUNK];
            TargetEmbeddingCpu.addGradient(n, dims.mx(), targetError, sequences[b].z,
                    batch.u(b, t + 1), grad.dWc, grad.dbc);
        }
        return value / (T - 1);
    }

    /** A new sequence's state, with whatever the rule keeps. */
    abstract SequenceState newSequence();

    /** Called once per batch before the first fixation, with its sizes. */
    void prepare(int B, int T) {
    }

    /**
     * Sequence b at fixation t < T-1, once its state holds h_t, d_t, g^a_t, g^c_t (and
     * h_{t-1} still in {@code hPrev}) and delta_t = P_h^T e_t: the rule's own work. The
     * gradient goes into {@code grad} (this chunk's), the rule's own accumulators under
     * {@code chunk}.
     */
    abstract void learn(int b, int t, FixationBatch batch, Parameters p, RowGradient grad,
            int chunk);

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
