package org.rjepa.learning;

import static org.rjepa.model.Block.Ph;
import static org.rjepa.model.Block.Ps;
import static org.rjepa.model.Block.U;
import static org.rjepa.model.Block.V;
import static org.rjepa.model.Block.Wa;
import static org.rjepa.model.Block.Wc;
import static org.rjepa.model.Block.ba;
import static org.rjepa.model.Block.bc;
import static org.rjepa.model.Block.bp;
import static org.rjepa.model.Block.ra;
import static org.rjepa.model.Block.rc;

import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;

/**
 * The plain double-precision reference of the forward pass and of the three learning rules
 * (DESIGN.md sections 3 to 5). It is the oracle that every faster path is tested against,
 * so it is written to be checked by eye against the design, not to be fast: one sequence
 * at a time, one loop per formula.
 *
 * <p>The loss of a batch is {@code 1/B sum_b 1/(T-1) sum_{t=0..T-2} 1/2 |yhat_t - z_{t+1}|^2}.
 * With {@code term = ALL_TERMS} every term counts (the per-sequence gradient); with a step
 * index {@code t} only that term counts, which is the gradient a per-step (online) update
 * takes after fixation {@code t} when the weights have not yet moved.
 *
 * <p>With the vicreg guard the loss adds {@code 1/(T-1) sum_t V_t}, V_t the {@link Vicreg}
 * term of the batch's predictions at step t plus, with live targets, the same term of the
 * batch's targets z_{t+1}; its gradient couples the sequences, so it is formed for every
 * sequence and step before the rules run: the predictions' part is added to each step's
 * error, the targets' part flows through the live target into W_c and b_c.
 *
 * <p>On the dense variant ({@code V h_{t-1}} in the gate, {@code U h_{t-1}} in the drive)
 * BPTT and RTRL stay exact, and RFP becomes the diagonal approximation: its traces decay by
 * the diagonal of {@code J_t = dh_t/dh_{t-1}} alone.
 */
public final class Reference {
    /** Every loss term of the sequence counts. */
    public static final int ALL_TERMS = -1;

    private Reference() {
    }

    /**
     * @param loss     the batch loss
     * @param h        the states, [B][T][n]
     * @param gradient dL/dtheta for every block, or null for the forward pass alone
     */
    public record Result(double loss, double[][][] h, DoubleParameters gradient) {
    }

    /** The forward pass: loss and states, no gradient. */
    public static Result forward(DoubleParameters p, ReferenceBatch batch, int term) {
        int B = batch.batch();
        int T = batch.steps();
        double[][][] h = new double[B][][];
        double[] regular = new double[1];
        regulariser(p, batch, term, regular);
        double loss = regular[0];
        for (int b = 0; b < B; b++) {
            Sequence seq = Sequence.run(p, batch, b);
            h[b] = seq.h;
            double[][] z = targets(p, batch, b);
            for (int t = 0; t < T - 1; t++) {
                if (counts(term, t)) {
                    double[] yhat = predict(p, seq.h[t], batch.s()[b][t]);
                    loss += 0.5 * squaredDistance(yhat, z[t + 1]) / ((T - 1) * (double) B);
                }
            }
        }
        return new Result(loss, h, null);
    }

    /** Backpropagation through time: store the T steps, then run backward. */
    public static Result bptt(DoubleParameters p, ReferenceBatch batch, int term) {
        Dimensions d = p.dims();
        int n = d.n();
        int B = batch.batch();
        int T = batch.steps();
        DoubleParameters grad = new DoubleParameters(d);
        double[][][] h = new double[B][][];
        double[] regular = new double[1];
        double[][][][] dRegular = regulariser(p, batch, term, regular);
        double loss = regular[0];
        for (int b = 0; b < B; b++) {
            Sequence seq = Sequence.run(p, batch, b);
            h[b] = seq.h;
            double[][] u = batch.u()[b];
            double[][] z = targets(p, batch, b);
            // dL/dh_t arriving from step t+1 through the recurrence
            double[] carry = new double[n];
            for (int t = T - 1; t >= 0; t--) {
                double[] dh = carry.clone();
                if (t < T - 1 && counts(term, t)) {
                    double[] e = error(p, seq.h[t], batch.s()[b][t], z[t + 1], T, B);
                    loss += halfSquaredError(e, T, B);
                    addLiveTargetGradient(grad, batch, e, dRegular[1][b][t], z[t + 1],
                            u[t + 1]);
                    add(e, dRegular[0][b][t]);
                    addPredictorGradient(grad, e, seq.h[t], batch.s()[b][t]);
                    addTransposed(dh, p.get(Ph), e, n);
                }
                double[] hPrev = seq.hPrev(t);
                java.util.Arrays.fill(carry, 0);
                for (int i = 0; i < n; i++) {
                    double a = seq.a[t][i];
                    double c = seq.c[t][i];
                    double dAlpha = dh[i] * a * (1 - a) * (c - hPrev[i]);
                    double dGamma = dh[i] * a * (1 - c * c);
                    addOuterRow(grad.get(Wa), i, dAlpha, u[t]);
                    addOuterRow(grad.get(Wc), i, dGamma, u[t]);
                    grad.get(ba)[i] += dAlpha;
                    grad.get(bc)[i] += dGamma;
                    grad.get(ra)[i] += dAlpha * hPrev[i];
                    grad.get(rc)[i] += dGamma * hPrev[i];
                    if (d.dense()) {
                        addOuterRow(grad.get(V), i, dAlpha, hPrev);
                        addOuterRow(grad.get(U), i, dGamma, hPrev);
                    }
                    // dL/dh_{t-1} = J_t^T dL/dh_t
                    for (int k = 0; k < n; k++) {
                        carry[k] += dh[i] * seq.jacobian(p, t, i, k);
                    }
                }
            }
        }
        return new Result(loss, h, grad);
    }

    /**
     * Recurrent-Forward Propagation: one trace per circuit parameter, shaped like it, carried
     * forward; {@code dtheta[i,.] += delta_t[i] * E_t[i,.]}.
     */
    public static Result rfp(DoubleParameters p, ReferenceBatch batch, int term) {
        Dimensions d = p.dims();
        int n = d.n();
        int B = batch.batch();
        int T = batch.steps();
        DoubleParameters grad = new DoubleParameters(d);
        double[][][] h = new double[B][][];
        double[] regular = new double[1];
        double[][][][] dRegular = regulariser(p, batch, term, regular);
        double loss = regular[0];
        for (int b = 0; b < B; b++) {
            Sequence seq = Sequence.run(p, batch, b);
            h[b] = seq.h;
            double[][] u = batch.u()[b];
            double[][] z = targets(p, batch, b);
            DoubleParameters trace = new DoubleParameters(d);
            for (int t = 0; t < T - 1; t++) {
                advanceTraces(trace, p, seq, u[t], t);
                if (!counts(term, t)) {
                    continue;
                }
                double[] e = error(p, seq.h[t], batch.s()[b][t], z[t + 1], T, B);
                loss += halfSquaredError(e, T, B);
                addLiveTargetGradient(grad, batch, e, dRegular[1][b][t], z[t + 1],
                        u[t + 1]);
                add(e, dRegular[0][b][t]);
                addPredictorGradient(grad, e, seq.h[t], batch.s()[b][t]);
                double[] delta = new double[n];
                addTransposed(delta, p.get(Ph), e, n);
                for (Block block : Block.values()) {
                    if (!block.inCircuit()) {
                        continue;
                    }
                    int cols = block.cols(d);
                    double[] g = grad.get(block);
                    double[] tr = trace.get(block);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < cols; j++) {
                            g[i * cols + j] += delta[i] * tr[i * cols + j];
                        }
                    }
                }
            }
        }
        return new Result(loss, h, grad);
    }

    /**
     * The RFP traces of sequence b after {@code steps} fixations, one per circuit block and
     * shaped like it (the predictor blocks stay zero): for tests of faster paths.
     */
    public static DoubleParameters traces(DoubleParameters p, ReferenceBatch batch, int b,
            int steps) {
        Sequence seq = Sequence.run(p, batch, b);
        DoubleParameters trace = new DoubleParameters(p.dims());
        for (int t = 0; t < steps; t++) {
            advanceTraces(trace, p, seq, batch.u()[b][t], t);
        }
        return trace;
    }

    /** E_t = diag(d_t) E_{t-1} + g_t u_t^T, and the same for the biases and for r. */
    private static void advanceTraces(DoubleParameters trace, DoubleParameters p, Sequence seq,
            double[] u, int t) {
        int n = p.dims().n();
        int m = p.dims().m();
        double[] hPrev = seq.hPrev(t);
        for (int i = 0; i < n; i++) {
            double dt = seq.dhdhPrev(p, t, i);
            double gA = seq.gateGain(t, i, hPrev);
            double gC = seq.driveGain(t, i);
            for (int j = 0; j < m; j++) {
                trace.get(Wa)[i * m + j] = dt * trace.get(Wa)[i * m + j] + gA * u[j];
                trace.get(Wc)[i * m + j] = dt * trace.get(Wc)[i * m + j] + gC * u[j];
            }
            trace.get(ba)[i] = dt * trace.get(ba)[i] + gA;
            trace.get(bc)[i] = dt * trace.get(bc)[i] + gC;
            trace.get(ra)[i] = dt * trace.get(ra)[i] + gA * hPrev[i];
            trace.get(rc)[i] = dt * trace.get(rc)[i] + gC * hPrev[i];
            if (p.dims().dense()) {
                for (int k = 0; k < n; k++) {
                    trace.get(V)[i * n + k] = dt * trace.get(V)[i * n + k] + gA * hPrev[k];
                    trace.get(U)[i * n + k] = dt * trace.get(U)[i * n + k] + gC * hPrev[k];
                }
            }
        }
    }

    /**
     * Real-time recurrent learning: the full sensitivity {@code S_t = dh_t/dtheta} (n x P),
     * {@code S_t = J_t S_{t-1} + M_t} with {@code J_t} multiplied as a dense n x n matrix
     * (it is diagonal on the diagonal circuit), and {@code dtheta += S_t^T delta_t}. Columns
     * of S: W_a, W_c (row-major), b_a, r_a, b_c, r_c, then V and U when dense.
     */
    public static Result rtrl(DoubleParameters p, ReferenceBatch batch, int term) {
        Dimensions d = p.dims();
        int n = d.n();
        int P = d.circuitParameters();
        int B = batch.batch();
        int T = batch.steps();
        DoubleParameters grad = new DoubleParameters(d);
        double[][][] h = new double[B][][];
        double[] regular = new double[1];
        double[][][][] dRegular = regulariser(p, batch, term, regular);
        double loss = regular[0];
        for (int b = 0; b < B; b++) {
            Sequence seq = Sequence.run(p, batch, b);
            h[b] = seq.h;
            double[][] u = batch.u()[b];
            double[][] z = targets(p, batch, b);
            double[][] S = new double[n][P];
            for (int t = 0; t < T - 1; t++) {
                double[] hPrev = seq.hPrev(t);
                double[][] J = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < n; k++) {
                        J[i][k] = seq.jacobian(p, t, i, k);
                    }
                }
                double[][] next = new double[n][P];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < n; k++) {
                        if (J[i][k] != 0) {
                            for (int q = 0; q < P; q++) {
                                next[i][q] += J[i][k] * S[k][q];
                            }
                        }
                    }
                }
                addImmediateJacobian(next, d, seq, t, hPrev, u[t]);
                S = next;
                if (!counts(term, t)) {
                    continue;
                }
                double[] e = error(p, seq.h[t], batch.s()[b][t], z[t + 1], T, B);
                loss += halfSquaredError(e, T, B);
                addLiveTargetGradient(grad, batch, e, dRegular[1][b][t], z[t + 1],
                        u[t + 1]);
                add(e, dRegular[0][b][t]);
                addPredictorGradient(grad, e, seq.h[t], batch.s()[b][t]);
                double[] delta = new double[n];
                addTransposed(delta, p.get(Ph), e, n);
                double[] dTheta = new double[P];
                for (int i = 0; i < n; i++) {
                    for (int q = 0; q < P; q++) {
                        dTheta[q] += S[i][q] * delta[i];
                    }
                }
                scatterCircuit(dTheta, grad);
            }
        }
        return new Result(loss, h, grad);
    }

    /** Central finite differences of {@link #forward}'s loss, entry by entry. */
    public static DoubleParameters finiteDifferences(DoubleParameters p, ReferenceBatch batch,
            int term, double eps) {
        DoubleParameters grad = new DoubleParameters(p.dims());
        DoubleParameters probe = p.copy();
        for (Block block : Block.values()) {
            double[] x = probe.get(block);
            for (int i = 0; i < x.length; i++) {
                double saved = x[i];
                x[i] = saved + eps;
                double up = forward(probe, batch, term).loss();
                x[i] = saved - eps;
                double down = forward(probe, batch, term).loss();
                x[i] = saved;
                grad.get(block)[i] = (up - down) / (2 * eps);
            }
        }
        return grad;
    }

    /** The targets of sequence b, [T][n]: given, or the live drive's response when so asked. */
    static double[][] targets(DoubleParameters p, ReferenceBatch batch, int b) {
        if (!batch.liveTarget()) {
            return batch.z()[b];
        }
        Dimensions d = p.dims();
        double[][] u = batch.u()[b];
        double[][] z = new double[u.length][d.n()];
        for (int t = 0; t < u.length; t++) {
            for (int i = 0; i < d.n(); i++) {
                double gamma = p.get(bc)[i];
                for (int j = 0; j < d.mx(); j++) {
                    gamma += p.get(Wc)[i * d.m() + j] * u[t][j];
                }
                z[t][i] = Math.tanh(gamma);
            }
        }
        return z;
    }

    /** yhat = P_h h + P_s s + b_p. */
    static double[] predict(DoubleParameters p, double[] h, double[] s) {
        Dimensions d = p.dims();
        int n = d.n();
        double[] yhat = new double[n];
        for (int i = 0; i < n; i++) {
            double v = p.get(bp)[i];
            for (int k = 0; k < n; k++) {
                v += p.get(Ph)[i * n + k] * h[k];
            }
            for (int k = 0; k < d.ms(); k++) {
                v += p.get(Ps)[i * d.ms() + k] * s[k];
            }
            yhat[i] = v;
        }
        return yhat;
    }

    /**
     * The vicreg terms of every counted step t: over the batch's predictions yhat_t and, with
     * live targets, over the batch's targets z_{t+1}. Their value (divided by T-1, as the loss
     * averages steps) goes into {@code value[0]}; returned are their gradients with respect
     * to each prediction and to each target, {@code [0]} and {@code [1]}, each [B][T][n]
     * (index t for z_{t+1}), likewise divided; zeros when the batch has no such term.
     */
    private static double[][][][] regulariser(DoubleParameters p, ReferenceBatch batch,
            int term, double[] value) {
        int n = p.dims().n();
        int B = batch.batch();
        int T = batch.steps();
        double[][][][] gradient = new double[2][B][T][n];
        if (!batch.vicreg()) {
            return gradient;
        }
        double[][][] yhat = new double[T][B][];
        double[][][] z = new double[T][B][];
        for (int b = 0; b < B; b++) {
            Sequence seq = Sequence.run(p, batch, b);
            double[][] targets = targets(p, batch, b);
            for (int t = 0; t < T - 1; t++) {
                yhat[t][b] = predict(p, seq.h[t], batch.s()[b][t]);
                z[t][b] = targets[t + 1];
            }
        }
        for (int t = 0; t < T - 1; t++) {
            if (!counts(term, t)) {
                continue;
            }
            value[0] += termOfBatch(yhat[t], batch, gradient[0], t);
            if (batch.liveTarget()) {
                value[0] += termOfBatch(z[t], batch, gradient[1], t);
            }
        }
        return gradient;
    }

    /** V of one step's batch of vectors, / (T-1); its gradient, likewise, into [b][t]. */
    private static double termOfBatch(double[][] vectors, ReferenceBatch batch,
            double[][][] gradient, int t) {
        int B = batch.batch();
        int T = batch.steps();
        double[][] dV = new double[B][vectors[0].length];
        double value = Vicreg.term(vectors, batch.varianceWeight(), batch.covarianceWeight(),
                batch.varianceTarget(), dV);
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < dV[b].length; i++) {
                gradient[b][t][i] = dV[b][i] / (T - 1);
            }
        }
        return value / (T - 1);
    }

    /** x += y. */
    private static void add(double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            x[i] += y[i];
        }
    }

    private static boolean counts(int term, int t) {
        return term == ALL_TERMS || term == t;
    }

    /** e_t = (yhat_t - z_{t+1}) / ((T-1) B): the error, already divided for the mean. */
    private static double[] error(DoubleParameters p, double[] h, double[] s, double[] zNext,
            int T, int B) {
        double[] e = predict(p, h, s);
        for (int i = 0; i < e.length; i++) {
            e[i] = (e[i] - zNext[i]) / ((T - 1) * (double) B);
        }
        return e;
    }

    /** The loss term 1/2 |yhat - z|^2 / ((T-1) B), recovered from its scaled error. */
    private static double halfSquaredError(double[] e, int T, int B) {
        double scale = (T - 1) * (double) B;
        double sum = 0;
        for (double v : e) {
            sum += v * v;
        }
        return 0.5 * sum * scale;
    }

    private static void addPredictorGradient(DoubleParameters grad, double[] e, double[] h,
            double[] s) {
        int n = e.length;
        int ms = s.length;
        for (int i = 0; i < n; i++) {
            addOuterRow(grad.get(Ph), i, e[i], h);
            for (int k = 0; k < ms; k++) {
                grad.get(Ps)[i * ms + k] += e[i] * s[k];
            }
            grad.get(bp)[i] += e[i];
        }
    }

    /**
     * With live targets, z_{t+1} depends on W_c and b_c: dL/dz = -e + dV, dV the gradient of
     * the vicreg term of the batch's targets (zeros without it).
     */
    private static void addLiveTargetGradient(DoubleParameters grad, ReferenceBatch batch,
            double[] e, double[] dV, double[] zNext, double[] uNext) {
        if (!batch.liveTarget()) {
            return;
        }
        Dimensions d = grad.dims();
        for (int i = 0; i < d.n(); i++) {
            double dGamma = (dV[i] - e[i]) * (1 - zNext[i] * zNext[i]);
            for (int j = 0; j < d.mx(); j++) {
                grad.get(Wc)[i * d.m() + j] += dGamma * uNext[j];
            }
            grad.get(bc)[i] += dGamma;
        }
    }

    /** M_t: the direct dependence of h_t on each circuit parameter, added into S. */
    private static void addImmediateJacobian(double[][] S, Dimensions d, Sequence seq, int t,
            double[] hPrev, double[] u) {
        int n = d.n();
        int m = d.m();
        int offWc = n * m;
        int offBa = 2 * n * m;
        for (int i = 0; i < n; i++) {
            double gA = seq.gateGain(t, i, hPrev);
            double gC = seq.driveGain(t, i);
            for (int j = 0; j < m; j++) {
                S[i][i * m + j] += gA * u[j];
                S[i][offWc + i * m + j] += gC * u[j];
            }
            S[i][offBa + i] += gA;
            S[i][offBa + n + i] += gA * hPrev[i];
            S[i][offBa + 2 * n + i] += gC;
            S[i][offBa + 3 * n + i] += gC * hPrev[i];
            if (d.dense()) {
                int offV = offBa + 4 * n;
                for (int k = 0; k < n; k++) {
                    S[i][offV + i * n + k] += gA * hPrev[k];
                    S[i][offV + n * n + i * n + k] += gC * hPrev[k];
                }
            }
        }
    }

    /** Adds a flat circuit gradient (W_a, W_c, b_a, r_a, b_c, r_c, V, U) into grad. */
    private static void scatterCircuit(double[] dTheta, DoubleParameters grad) {
        Dimensions d = grad.dims();
        int n = d.n();
        int nm = n * d.m();
        for (int q = 0; q < nm; q++) {
            grad.get(Wa)[q] += dTheta[q];
            grad.get(Wc)[q] += dTheta[nm + q];
        }
        for (int i = 0; i < n; i++) {
            grad.get(ba)[i] += dTheta[2 * nm + i];
            grad.get(ra)[i] += dTheta[2 * nm + n + i];
            grad.get(bc)[i] += dTheta[2 * nm + 2 * n + i];
            grad.get(rc)[i] += dTheta[2 * nm + 3 * n + i];
        }
        if (d.dense()) {
            int offV = 2 * nm + 4 * n;
            for (int q = 0; q < n * n; q++) {
                grad.get(V)[q] += dTheta[offV + q];
                grad.get(U)[q] += dTheta[offV + n * n + q];
            }
        }
    }

    /** out += A^T v for an n x n row-major A. */
    private static void addTransposed(double[] out, double[] A, double[] v, int n) {
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                out[k] += A[i * n + k] * v[i];
            }
        }
    }

    /** Row i of M += scale * x. */
    private static void addOuterRow(double[] M, int i, double scale, double[] x) {
        int cols = x.length;
        for (int j = 0; j < cols; j++) {
            M[i * cols + j] += scale * x[j];
        }
    }

    private static double squaredDistance(double[] x, double[] y) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += (x[i] - y[i]) * (x[i] - y[i]);
        }
        return sum;
    }

    /** One sequence run forward: gates a, drives c and states h, each [T][n]. */
    private static final class Sequence {
        final double[][] a;
        final double[][] c;
        final double[][] h;
        private final double[] h0;

        private Sequence(int T, int n) {
            a = new double[T][n];
            c = new double[T][n];
            h = new double[T][n];
            h0 = new double[n];
        }

        static Sequence run(DoubleParameters p, ReferenceBatch batch, int b) {
            Dimensions d = p.dims();
            int n = d.n();
            int m = d.m();
            double[][] u = batch.u()[b];
            Sequence seq = new Sequence(u.length, n);
            for (int t = 0; t < u.length; t++) {
                double[] hPrev = seq.hPrev(t);
                for (int i = 0; i < n; i++) {
                    double alpha = p.get(ba)[i] + p.get(ra)[i] * hPrev[i];
                    double gamma = p.get(bc)[i] + p.get(rc)[i] * hPrev[i];
                    for (int j = 0; j < m; j++) {
                        alpha += p.get(Wa)[i * m + j] * u[t][j];
                        gamma += p.get(Wc)[i * m + j] * u[t][j];
                    }
                    if (d.dense()) {
                        for (int k = 0; k < n; k++) {
                            alpha += p.get(V)[i * n + k] * hPrev[k];
                            gamma += p.get(U)[i * n + k] * hPrev[k];
                        }
                    }
                    seq.a[t][i] = 1 / (1 + Math.exp(-alpha));
                    seq.c[t][i] = Math.tanh(gamma);
                    seq.h[t][i] = hPrev[i] + seq.a[t][i] * (seq.c[t][i] - hPrev[i]);
                }
            }
            return seq;
        }

        double[] hPrev(int t) {
            return t == 0 ? h0 : h[t - 1];
        }

        /** g^a_t = a(1 - a)(c - h_{t-1}) = dh_t/dalpha_t. */
        double gateGain(int t, int i, double[] hPrev) {
            return a[t][i] * (1 - a[t][i]) * (c[t][i] - hPrev[i]);
        }

        /** g^c_t = a(1 - c^2) = dh_t/dgamma_t. */
        double driveGain(int t, int i) {
            return a[t][i] * (1 - c[t][i] * c[t][i]);
        }

        /**
         * d_t = dh_{t,i}/dh_{t-1,i} = (1 - a) + g^a (r_a + V_ii) + g^c (r_c + U_ii), the
         * diagonal of J_t (V and U only when dense): the decay of every RFP trace of unit i.
         */
        double dhdhPrev(DoubleParameters p, int t, int i) {
            return jacobian(p, t, i, i);
        }

        /**
         * J_t[i][k] = dh_{t,i}/dh_{t-1,k}: on the diagonal circuit zero off the diagonal; when
         * dense {@code delta_ik d_t + g^a_i V_ik + g^c_i U_ik} with d_t's r terms.
         */
        double jacobian(DoubleParameters p, int t, int i, int k) {
            double[] hPrev = hPrev(t);
            double gA = gateGain(t, i, hPrev);
            double gC = driveGain(t, i);
            double entry = 0;
            if (i == k) {
                entry = (1 - a[t][i]) + gA * p.get(ra)[i] + gC * p.get(rc)[i];
            }
            if (p.dims().dense()) {
                int n = p.dims().n();
                entry += gA * p.get(V)[i * n + k] + gC * p.get(U)[i * n + k];
            }
            return entry;
        }
    }
}
