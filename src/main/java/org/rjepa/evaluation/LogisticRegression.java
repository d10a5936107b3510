package org.rjepa.evaluation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.IntStream;

/**
 * Multinomial logistic regression fitted by full-batch L-BFGS, in double precision: the
 * probe's classifier. The objective is the mean cross-entropy of the softmax over K classes
 * plus {@code l2/2} times the squared weights (the biases are not penalised):
 *
 * <pre>
 *   f(W, c) = 1/N sum_i -log softmax(W x_i + c)_{y_i} + l2/2 |W|^2
 * </pre>
 *
 * It is convex, so L-BFGS (memory {@value #MEMORY}, Armijo backtracking) reaches the optimum
 * within a fixed iteration budget whatever the start; the fit stops early when the objective
 * no longer falls by a relative {@value #TOLERANCE}. Features should be standardised first.
 * The objective's gradient is summed over fixed chunks of samples and the chunks added in
 * order, so a fit does not depend on the number of threads.
 */
public final class LogisticRegression {
    /** Pairs of L-BFGS history. */
    public static final int MEMORY = 10;
    /** Relative fall of the objective below which the fit stops. */
    public static final double TOLERANCE = 1e-9;
    private static final int CHUNK = 256;

    /** The fitted weights, K rows of d + 1 (the bias last). */
    private final double[] weights;
    private final int classes;
    private final int features;
    private final int iterations;

    private LogisticRegression(double[] weights, int classes, int features, int iterations) {
        this.weights = weights;
        this.classes = classes;
        this.features = features;
        this.iterations = iterations;
    }

    /**
     * @param x          N samples of d features, read
     * @param labels     N labels in [0, classes)
     * @param l2         the weights' penalty (>= 0)
     * @param maxIter    iteration budget
     * @param start      weights to start from (K x (d+1)), or null for zero
     */
    public static LogisticRegression fit(double[][] x, int[] labels, int classes, double l2,
            int maxIter, LogisticRegression start) {
        int d = x.length == 0 ? 0 : x[0].length;
        int size = classes * (d + 1);
        double[] w = start == null ? new double[size] : start.weights.clone();
        double[] g = new double[size];
        double f = objective(x, labels, classes, l2, w, g);
        Deque<double[][]> history = new ArrayDeque<>();
        int iter = 0;
        while (iter < maxIter) {
            iter++;
            double[] direction = twoLoop(g, history);
            double slope = dot(g, direction);
            if (!(slope < 0)) {
                history.clear();
                direction = scaled(g, -1);
                slope = dot(g, direction);
            }
            if (slope == 0) {
                break;
            }
            double step = history.isEmpty() ? 1 / Math.max(1e-12, Math.sqrt(-slope)) : 1;

            // backtracking until the Armijo condition holds
            double[] next = new double[size];
            double[] gNext = new double[size];
            double fNext = Double.NaN;
            for (int tries = 0; tries < 40; tries++) {
                for (int q = 0; q < size; q++) {
                    next[q] = w[q] + step * direction[q];
                }
                fNext = objective(x, labels, classes, l2, next, gNext);
                if (fNext <= f + 1e-4 * step * slope) {
                    break;
                }
                step *= 0.5;
            }
            if (!(fNext < f)) {
                break;
            }
            double[] s = new double[size];
            double[] y = new double[size];
            for (int q = 0; q < size; q++) {
                s[q] = next[q] - w[q];
                y[q] = gNext[q] - g[q];
            }
            if (dot(s, y) > 1e-12) {
                history.addLast(new double[][] {s, y});
                if (history.size() > MEMORY) {
                    history.removeFirst();
                }
            }
            double fall = f - fNext;
            w = next;
            g = gNext;
            f = fNext;
            if (fall <= TOLERANCE * Math.max(1, Math.abs(f))) {
                break;
            }
        }
        return new LogisticRegression(w, classes, d, iter);
    }

    /** Iterations the fit took. */
    public int iterations() {
        return iterations;
    }

    /** The most probable class of each sample. */
    public int[] predict(double[][] x) {
        int[] out = new int[x.length];
        double[] logits = new double[classes];
        for (int i = 0; i < x.length; i++) {
            logits(x[i], weights, classes, features, logits);
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (logits[k] > logits[best]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** The fraction of samples whose predicted class is their label. */
    public double accuracy(double[][] x, int[] labels) {
        int[] predicted = predict(x);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                right++;
            }
        }
        return labels.length == 0 ? Double.NaN : right / (double) labels.length;
    }

    /** f(w), and its gradient into {@code grad} (overwritten). */
    static double objective(double[][] x, int[] labels, int classes, double l2, double[] w,
            double[] grad) {
        int N = x.length;
        int d = N == 0 ? 0 : x[0].length;
        int chunks = (N + CHUNK - 1) / CHUNK;
        double[][] partGrad = new double[chunks][];
        double[] partLoss = new double[chunks];
        IntStream.range(0, chunks).parallel().forEach(c -> {
            double[] g = new double[w.length];
            double[] p = new double[classes];
            double loss = 0;
            for (int i = c * CHUNK; i < Math.min(N, (c + 1) * CHUNK); i++) {
                logits(x[i], w, classes, d, p);
                double max = Double.NEGATIVE_INFINITY;
                for (double v : p) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    p[k] = Math.exp(p[k] - max);
                    sum += p[k];
                }
                loss -= Math.log(p[labels[i]] / sum);
                for (int k = 0; k < classes; k++) {
                    double r = p[k] / sum - (k == labels[i] ? 1 : 0);
                    int row = k * (d + 1);
                    double[] xi = x[i];
                    for (int j = 0; j < d; j++) {
                        g[row + j] += r * xi[j];
                    }
                    g[row + d] += r;
                }
            }
            partGrad[c] = g;
            partLoss[c] = loss;
        });
        java.util.Arrays.fill(grad, 0);
        double loss = 0;
        for (int c = 0; c < chunks; c++) {
            loss += partLoss[c];
            for (int q = 0; q < grad.length; q++) {
                grad[q] += partGrad[c][q];
            }
        }
        double penalty = 0;
        for (int q = 0; q < grad.length; q++) {
            grad[q] /= Math.max(1, N);
            if (q % (d + 1) != d) {
                grad[q] += l2 * w[q];
                penalty += w[q] * w[q];
            }
        }
        return loss / Math.max(1, N) + 0.5 * l2 * penalty;
    }

    private static void logits(double[] xi, double[] w, int classes, int d, double[] out) {
        for (int k = 0; k < classes; k++) {
            int row = k * (d + 1);
            double v = w[row + d];
            for (int j = 0; j < d; j++) {
                v += w[row + j] * xi[j];
            }
            out[k] = v;
        }
    }

    /** The L-BFGS direction -H g from the history, oldest pair first in the deque. */
    private static double[] twoLoop(double[] g, Deque<double[][]> history) {
        double[] q = g.clone();
        int m = history.size();
        double[] alpha = new double[m];
        double[][][] pairs = history.toArray(new double[0][][]);
        for (int i = m - 1; i >= 0; i--) {
            double rho = 1 / dot(pairs[i][1], pairs[i][0]);
            alpha[i] = rho * dot(pairs[i][0], q);
            axpy(-alpha[i], pairs[i][1], q);
        }
        if (m > 0) {
            double[] s = pairs[m - 1][0];
            double[] y = pairs[m - 1][1];
            double gamma = dot(s, y) / dot(y, y);
            for (int i = 0; i < q.length; i++) {
                q[i] *= gamma;
            }
        }
        for (int i = 0; i < m; i++) {
            double rho = 1 / dot(pairs[i][1], pairs[i][0]);
            double beta = rho * dot(pairs[i][1], q);
            axpy(alpha[i] - beta, pairs[i][0], q);
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = -q[i];
        }
        return q;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double[] scaled(double[] x, double a) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = a * x[i];
        }
        return out;
    }
}
