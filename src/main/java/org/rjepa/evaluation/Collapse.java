package org.rjepa.evaluation;

import java.util.Objects;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Collapse metrics of one batch of embeddings (DESIGN.md section 4), all computed in double
 * precision from float embeddings.
 *
 * <p>The effective rank and the standard deviations answer different questions and should be
 * read together: the rank is blind to scale, so a batch shrinking towards a constant keeps a
 * middling rank while its standard deviations fall by orders of magnitude.
 *
 * @param effectiveRank RankMe of the centred batch, {@code exp(-sum_k p_k log p_k)} with
 *                      {@code p_k = s_k / sum s + 1e-7} over the {@code min(count, dim)}
 *                      singular values {@code s}; 0 when the total variance (sum of squared
 *                      centred entries / count) is below {@code 1e-12}. With the {@code eps}
 *                      term a batch of {@code k} equal nonzero singular values reads slightly
 *                      above {@code k} (by about {@code 1e-5 k} for a few dozen values).
 * @param stdMean       mean over the {@code dim} columns of each column's population standard
 *                      deviation
 * @param stdMin        smallest per-column population standard deviation
 * @param meanCosine    mean cosine similarity of the raw (uncentred) embeddings over all
 *                      ordered pairs of different rows; a row of zero norm counts as a zero
 *                      vector, so its pairs contribute 0 but still count in the mean. NaN when
 *                      {@code count == 1}: there is no pair
 */
public record Collapse(double effectiveRank, double stdMean, double stdMin, double meanCosine) {

    /** Added to each normalised singular value before the entropy, as RankMe does. */
    private static final double EPS = 1e-7;

    /** Total variance under which a batch counts as fully collapsed (rank reported as 0). */
    private static final double COLLAPSED_VARIANCE = 1e-12;

    /**
     * Measures a batch.
     *
     * <p>A batch holding a NaN or infinite value (a diverged run) gives NaN in every field
     * rather than an exception; so does an eigen decomposition that fails to converge, in
     * {@link #effectiveRank} only.
     *
     * @param rows  count x dim embeddings, row-major, one embedding per row; read, not modified
     * @param count number of embeddings, at least 1
     * @param dim   length of each embedding, at least 1
     * @throws IllegalArgumentException if the shape is not positive or does not match
     *                                  {@code rows.length}
     */
    public static Collapse of(float[] rows, int count, int dim) {
        Objects.requireNonNull(rows, "rows");
        if (count < 1 || dim < 1) {
            throw new IllegalArgumentException("need at least one embedding of at least one value,"
                    + " got count x dim = " + count + " x " + dim);
        }
        if ((long) count * dim != rows.length) {
            throw new IllegalArgumentException("rows has " + rows.length + " values, not count x"
                    + " dim = " + count + " x " + dim);
        }
        for (float v : rows) {
            if (!Float.isFinite(v)) {
                return new Collapse(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
        }

        // Centre each column: centred is count x dim, row-major
        double[] mean = new double[dim];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += rows[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= count;
        }
        DMatrixRMaj centred = new DMatrixRMaj(count, dim);
        double[] variance = new double[dim];
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < dim; j++) {
                double d = rows[i * dim + j] - mean[j];
                centred.data[i * dim + j] = d;
                variance[j] += d * d;
            }
        }

        // Per-column population standard deviations
        double stdSum = 0;
        double stdMin = Double.POSITIVE_INFINITY;
        double totalVariance = 0;
        for (int j = 0; j < dim; j++) {
            variance[j] /= count;
            totalVariance += variance[j];
            double std = Math.sqrt(variance[j]);
            stdSum += std;
            stdMin = Math.min(stdMin, std);
        }

        double rank = totalVariance < COLLAPSED_VARIANCE ? 0 : effectiveRank(centred);
        return new Collapse(rank, stdSum / dim, stdMin, meanCosine(rows, count, dim));
    }

    /**
     * RankMe of a centred matrix that is not collapsed. The singular values are the square
     * roots of the eigenvalues of the smaller Gram matrix, {@code X^T X} (dim x dim) when
     * {@code count >= dim}, else {@code X X^T} (count x count), so there are exactly
     * {@code min(count, dim)} of them. Squaring loses the singular values below about
     * {@code 1e-8} of the largest to rounding; they move the rank by a few {@code 1e-7} at most.
     *
     * @param centred count x dim, column means removed; read, not modified
     * @return the effective rank, or NaN if the eigen decomposition fails
     */
    private static double effectiveRank(DMatrixRMaj centred) {
        int size = Math.min(centred.numRows, centred.numCols);
        DMatrixRMaj gram = new DMatrixRMaj(size, size);
        if (centred.numRows >= centred.numCols) {
            CommonOps_DDRM.multInner(centred, gram);
        } else {
            CommonOps_DDRM.multOuter(centred, gram);
        }
        EigenDecomposition_F64<DMatrixRMaj> eigen = DecompositionFactory_DDRM.eig(size, false,
                true);
        if (!eigen.decompose(gram)) {
            return Double.NaN;
        }

        // Rounding can leave eigenvalues of a semi-definite matrix slightly negative
        double[] singular = new double[eigen.getNumberOfEigenvalues()];
        double sum = 0;
        for (int k = 0; k < singular.length; k++) {
            singular[k] = Math.sqrt(Math.max(0, eigen.getEigenvalue(k).getReal()));
            sum += singular[k];
        }

        double entropy = 0;
        for (double s : singular) {
            double p = s / sum + EPS;
            entropy -= p * Math.log(p);
        }
        return Math.exp(entropy);
    }

    /**
     * Mean cosine over ordered pairs {@code i != j}, in one pass, from
     * {@code sum_{i != j} v_i . v_j = |sum_i v_i|^2 - sum_i |v_i|^2} with {@code v_i} the unit
     * row {@code i}, or the zero vector for a row of zero norm.
     *
     * @param rows count x dim, row-major, raw embeddings; read, not modified
     * @return the mean cosine, NaN when {@code count == 1}
     */
    private static double meanCosine(float[] rows, int count, int dim) {
        if (count < 2) {
            return Double.NaN;
        }
        double[] unitSum = new double[dim];
        double selfSum = 0;
        for (int i = 0; i < count; i++) {
            double normSquared = 0;
            for (int j = 0; j < dim; j++) {
                double v = rows[i * dim + j];
                normSquared += v * v;
            }
            if (normSquared == 0) {
                continue;
            }
            double norm = Math.sqrt(normSquared);
            double unitSquared = 0;
            for (int j = 0; j < dim; j++) {
                double v = rows[i * dim + j] / norm;
                unitSum[j] += v;
                unitSquared += v * v;
            }
            selfSum += unitSquared;
        }
        double sumSquared = 0;
        for (double v : unitSum) {
            sumSquared += v * v;
        }
        return (sumSquared - selfSum) / ((double) count * (count - 1));
    }
}
