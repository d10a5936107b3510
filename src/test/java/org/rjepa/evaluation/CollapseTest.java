package org.rjepa.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.junit.jupiter.api.Test;

class CollapseTest {

    /** RankMe's eps, written here from DESIGN.md rather than read from the class. */
    private static final double EPS = 1e-7;

    /** Against a closed form or an independent double computation. */
    private static final double EXACT = 1e-9;

    /**
     * Against a rank computed another way: the class squares the singular values, which puts
     * noise of about 1e-8 of the largest on the zero ones and moves the rank by ~1e-7.
     */
    private static final double RANK = 1e-6;

    /** How far {@code eps} may lift a rank of k equal singular values above k. */
    private static final double RANK_OF_K = 1e-4;

    /** Float inputs rounded after scaling move every metric by a few float ulps. */
    private static final double FLOAT_ROUNDING = 1e-6;

    @Test
    void handCaseWithTwoSingularValues() {
        // Centred rows (1,0), (-1,0), (0,2), (0,-2): X^T X = diag(2, 8), s = sqrt 2, 2 sqrt 2
        float[] rows = {1, 0, -1, 0, 0, 2, 0, -2};
        addOffset(rows, 2, new float[] {3, -1});

        Collapse c = Collapse.of(rows, 4, 2);

        assertEquals(rankOf(new double[] {1, 2}), c.effectiveRank(), RANK);
        assertEquals(1.8899, c.effectiveRank(), 1e-4);
        assertEquals((Math.sqrt(0.5) + Math.sqrt(2)) / 2, c.stdMean(), EXACT);
        assertEquals(Math.sqrt(0.5), c.stdMin(), EXACT);
    }

    @Test
    void kEqualSingularValuesGiveRankK() {
        // Rows +-q_j for k rows q_j of a 16 x 16 Hadamard matrix / 4 (orthonormal, exact in
        // float), each pair copied, around a dyadic offset: the centred matrix is exact
        int dim = 16;
        float[] offset = new float[dim];
        for (int d = 0; d < dim; d++) {
            offset[d] = (d % 5 - 2) * 0.375f;
        }
        for (int k : new int[] {1, 3, 5, 16}) {
            for (int copies : new int[] {1, 10}) {
                int count = 2 * k * copies;
                float[] rows = new float[count * dim];
                for (int i = 0; i < count; i++) {
                    int j = (i / 2) % k;
                    float sign = i % 2 == 0 ? 1 : -1;
                    for (int d = 0; d < dim; d++) {
                        float hadamard = Integer.bitCount(j & d) % 2 == 0 ? 0.25f : -0.25f;
                        rows[i * dim + d] = sign * hadamard + offset[d];
                    }
                }

                double[] equal = new double[Math.min(count, dim)];
                Arrays.fill(equal, 0, k, 1);
                double rank = Collapse.of(rows, count, dim).effectiveRank();
                String what = "k = " + k + ", count = " + count;
                assertEquals(rankOf(equal), rank, RANK, what);
                assertEquals(k, rank, RANK_OF_K, what);
            }
        }
    }

    @Test
    void rankOneMatrixGivesRankOne() {
        Random random = new Random(12);
        int[][] shapes = {{50, 16}, {6, 40}, {2, 3}};
        for (int[] shape : shapes) {
            int count = shape[0];
            int dim = shape[1];
            float[] u = gaussian(random, dim, 1);
            float[] offset = gaussian(random, dim, 3);
            float[] rows = new float[count * dim];
            for (int i = 0; i < count; i++) {
                double a = random.nextGaussian();
                for (int d = 0; d < dim; d++) {
                    rows[i * dim + d] = (float) (a * u[d] + offset[d]);
                }
            }
            double rank = Collapse.of(rows, count, dim).effectiveRank();
            assertEquals(1, rank, RANK_OF_K, count + " x " + dim);
        }
    }

    @Test
    void constantMatrixIsFullyCollapsed() {
        int count = 7;
        int dim = 5;
        float[] rows = new float[count * dim];
        for (int i = 0; i < count; i++) {
            for (int d = 0; d < dim; d++) {
                rows[i * dim + d] = 0.1f * (d + 1) - 0.3f;
            }
        }

        Collapse c = Collapse.of(rows, count, dim);

        assertEquals(0, c.effectiveRank());
        assertEquals(0, c.stdMean());
        assertEquals(0, c.stdMin());
        assertEquals(1, c.meanCosine(), EXACT);
    }

    @Test
    void totalVarianceThresholdSeparatesCollapsedFromTiny() {
        // One column alternates +-a around 1: total variance a^2 (the others are constant)
        int count = 8;
        int dim = 3;
        for (double a : new double[] {1e-7, 1e-5}) {
            float[] rows = new float[count * dim];
            for (int i = 0; i < count; i++) {
                rows[i * dim] = 2;
                rows[i * dim + 1] = (float) ((i % 2 == 0 ? 1 : -1) * a);
                rows[i * dim + 2] = -1;
            }
            double variance = a * a;
            double rank = Collapse.of(rows, count, dim).effectiveRank();
            if (variance < 1e-12) {
                assertEquals(0, rank, "a = " + a);
            } else {
                assertEquals(1, rank, RANK_OF_K, "a = " + a);
            }
        }
    }

    @Test
    void scalingLeavesRankAndCosineButScalesStd() {
        Random random = new Random(13);
        int count = 40;
        int dim = 10;
        float[] rows = gaussian(random, count * dim, 1);
        addOffset(rows, dim, gaussian(random, dim, 1));
        float[] small = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            small[i] = rows[i] * 1e-3f;
        }

        Collapse big = Collapse.of(rows, count, dim);
        Collapse shrunk = Collapse.of(small, count, dim);

        assertTrue(big.effectiveRank() > 5, "random data should be far from collapsed");
        assertEquals(big.effectiveRank(), shrunk.effectiveRank(), FLOAT_ROUNDING);
        assertEquals(big.meanCosine(), shrunk.meanCosine(), FLOAT_ROUNDING);
        assertEquals(1000, big.stdMean() / shrunk.stdMean(), 1000 * FLOAT_ROUNDING);
        assertEquals(1000, big.stdMin() / shrunk.stdMin(), 1000 * FLOAT_ROUNDING);
    }

    @Test
    void rankMatchesSvdOfCentredMatrix() {
        Random random = new Random(14);
        int[][] shapes = {{60, 8}, {8, 8}, {5, 30}, {33, 31}, {2, 7}, {9, 1}};
        for (int[] shape : shapes) {
            int count = shape[0];
            int dim = shape[1];
            float[] rows = gaussian(random, count * dim, 1);
            // Uneven column scales so that the singular values differ
            for (int i = 0; i < count; i++) {
                for (int d = 0; d < dim; d++) {
                    rows[i * dim + d] *= (float) (1 + d % 4);
                }
            }
            addOffset(rows, dim, gaussian(random, dim, 2));

            double[] singular = SingularOps_DDRM.singularValues(centred(rows, count, dim));
            assertEquals(Math.min(count, dim), singular.length);
            assertEquals(rankOf(singular), Collapse.of(rows, count, dim).effectiveRank(), RANK,
                    count + " x " + dim);
        }
    }

    @Test
    void meanCosineMatchesPairwiseLoop() {
        Random random = new Random(15);
        int[][] shapes = {{37, 9}, {2, 4}, {5, 1}, {3, 50}};
        for (int[] shape : shapes) {
            int count = shape[0];
            int dim = shape[1];
            float[] rows = gaussian(random, count * dim, 1);
            addOffset(rows, dim, gaussian(random, dim, 0.7));
            // A zero row counts as a zero vector: its pairs add 0 but still count
            Arrays.fill(rows, dim, 2 * dim, 0f);

            double expected = pairwiseCosine(rows, count, dim);
            assertEquals(expected, Collapse.of(rows, count, dim).meanCosine(), EXACT,
                    count + " x " + dim);
        }
    }

    @Test
    void meanCosineHandCases() {
        // Opposite pair, orthogonal basis, one row zero
        assertEquals(-1, Collapse.of(new float[] {1, 2, -3, -6}, 2, 2).meanCosine(), EXACT);
        assertEquals(0, Collapse.of(new float[] {4, 0, 0, 0, 0.5f, 0, 0, 0, 7}, 3, 3)
                .meanCosine(), EXACT);
        // Pairs of the rows (1,0), (1,1), (0,0): cos = 1/sqrt2 twice out of 6 ordered pairs
        assertEquals(2 / Math.sqrt(2) / 6,
                Collapse.of(new float[] {1, 0, 1, 1, 0, 0}, 3, 2).meanCosine(), EXACT);
    }

    @Test
    void stdMinFindsTheNearConstantColumn() {
        Random random = new Random(16);
        int count = 10;
        int dim = 6;
        float[] rows = gaussian(random, count * dim, 1);
        float a = 1e-3f;
        for (int i = 0; i < count; i++) {
            rows[i * dim + 4] = 5 + (i % 2 == 0 ? a : -a);
        }

        Collapse c = Collapse.of(rows, count, dim);

        double[] std = columnStd(rows, count, dim);
        double mean = 0;
        for (double s : std) {
            mean += s / dim;
        }
        assertEquals(std[4], c.stdMin(), EXACT);
        assertEquals(a, c.stdMin(), 1e-6, "float rounding of 5 +- a is about 5e-7");
        assertEquals(mean, c.stdMean(), EXACT);
        assertTrue(c.stdMean() > 100 * c.stdMin());
    }

    @Test
    void singleEmbedding() {
        Collapse c = Collapse.of(new float[] {0.3f, -2, 7, 1, 0}, 1, 5);
        assertEquals(0, c.effectiveRank());
        assertEquals(0, c.stdMean());
        assertEquals(0, c.stdMin());
        assertTrue(Double.isNaN(c.meanCosine()), "no pair of different rows");

        Collapse one = Collapse.of(new float[] {4}, 1, 1);
        assertEquals(new Collapse(0, 0, 0, Double.NaN), one);
    }

    @Test
    void singleDimension() {
        // One singular value: p = 1 + eps
        float[] rows = {1, -1, 3, 0, -2, 5};
        Collapse c = Collapse.of(rows, 6, 1);

        assertEquals(rankOf(new double[] {1}), c.effectiveRank(), EXACT);
        assertEquals(1, c.effectiveRank(), RANK_OF_K);
        assertEquals(columnStd(rows, 6, 1)[0], c.stdMean(), EXACT);
        assertEquals(c.stdMean(), c.stdMin());
        assertEquals(pairwiseCosine(rows, 6, 1), c.meanCosine(), EXACT);

        Collapse pair = Collapse.of(new float[] {2, -2}, 2, 1);
        assertEquals(2, pair.stdMin(), EXACT);
        assertEquals(-1, pair.meanCosine(), EXACT);
    }

    @Test
    void nonFiniteValuesGiveNaN() {
        float[][] batches = {{1, 2, Float.NaN, 4}, {1, Float.POSITIVE_INFINITY, 3, 4}};
        for (float[] rows : batches) {
            Collapse c = Collapse.of(rows, 2, 2);
            assertTrue(Double.isNaN(c.effectiveRank()));
            assertTrue(Double.isNaN(c.stdMean()));
            assertTrue(Double.isNaN(c.stdMin()));
            assertTrue(Double.isNaN(c.meanCosine()));
        }
    }

    @Test
    void inputIsNotModified() {
        float[] rows = gaussian(new Random(17), 24, 1);
        float[] copy = rows.clone();
        Collapse.of(rows, 6, 4);
        assertArrayEquals(copy, rows);
    }

    @Test
    void badShapesAreRejectedWithTheShapeInTheMessage() {
        float[] six = new float[6];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Collapse.of(six, 2, 2));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("2 x 2"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Collapse.of(new float[0], 0, 3));
        assertTrue(e.getMessage().contains("0 x 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Collapse.of(new float[0], 3, 0));
        assertThrows(IllegalArgumentException.class, () -> Collapse.of(six, -2, -3));
        // count * dim overflows int but not the check
        assertThrows(IllegalArgumentException.class, () -> Collapse.of(six, 65536, 65536));
        assertThrows(NullPointerException.class, () -> Collapse.of(null, 1, 1));
    }

    /** RankMe of singular values given up to scale, straight from the definition. */
    private static double rankOf(double[] singular) {
        double sum = 0;
        for (double s : singular) {
            sum += s;
        }
        double entropy = 0;
        for (double s : singular) {
            double p = s / sum + EPS;
            entropy -= p * Math.log(p);
        }
        return Math.exp(entropy);
    }

    /** Mean of v_i . v_j / (|v_i| |v_j|) over ordered pairs i != j; zero rows give 0. */
    private static double pairwiseCosine(float[] rows, int count, int dim) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < count; j++) {
                if (i == j) {
                    continue;
                }
                double dot = 0;
                double ni = 0;
                double nj = 0;
                for (int d = 0; d < dim; d++) {
                    double a = rows[i * dim + d];
                    double b = rows[j * dim + d];
                    dot += a * b;
                    ni += a * a;
                    nj += b * b;
                }
                if (ni > 0 && nj > 0) {
                    sum += dot / Math.sqrt(ni * nj);
                }
            }
        }
        return sum / (count * (count - 1.0));
    }

    /** Population standard deviation of each column, two passes. */
    private static double[] columnStd(float[] rows, int count, int dim) {
        double[] std = new double[dim];
        for (int d = 0; d < dim; d++) {
            double mean = 0;
            for (int i = 0; i < count; i++) {
                mean += rows[i * dim + d];
            }
            mean /= count;
            double squares = 0;
            for (int i = 0; i < count; i++) {
                double x = rows[i * dim + d] - mean;
                squares += x * x;
            }
            std[d] = Math.sqrt(squares / count);
        }
        return std;
    }

    /** count x dim rows minus their column means, as an EJML matrix. */
    private static DMatrixRMaj centred(float[] rows, int count, int dim) {
        DMatrixRMaj out = new DMatrixRMaj(count, dim);
        for (int d = 0; d < dim; d++) {
            double mean = 0;
            for (int i = 0; i < count; i++) {
                mean += rows[i * dim + d];
            }
            mean /= count;
            for (int i = 0; i < count; i++) {
                out.set(i, d, rows[i * dim + d] - mean);
            }
        }
        return out;
    }

    private static float[] gaussian(Random random, int size, double scale) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) (scale * random.nextGaussian());
        }
        return out;
    }

    /** Adds offset (dim values) to every row of rows, in place. */
    private static void addOffset(float[] rows, int dim, float[] offset) {
        for (int i = 0; i < rows.length; i++) {
            rows[i] += offset[i % dim];
        }
    }
}
