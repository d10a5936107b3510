package org.rjepa.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rjepa.TestProblems;
import org.rjepa.Tolerances;
import org.rjepa.data.ImageSet;
import org.rjepa.fixation.Fixations;
import org.rjepa.fixation.RasterPolicy;
import org.rjepa.io.BadInputException;
import org.rjepa.model.Gaussian;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * The linear probe on synthetic features: separable classes are learnt, noise is not; and the
 * two readouts of a network's states agree with each other.
 */
class ProbeTest {
    private static final int CLASSES = 4;

    /** Four classes whose means lie far apart in the first two of six features. */
    private static double[][] features(int count, int[] labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[count][6];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(CLASSES);
            for (int j = 0; j < 6; j++) {
                x[i][j] = Gaussian.next(random);
            }
            x[i][0] += 8 * (labels[i] % 2);
            x[i][1] += 8 * (labels[i] / 2);
        }
        return x;
    }

    @Test
    void separableClassesAreLearntAlmostPerfectly() {
        int[] trainLabels = new int[800];
        int[] testLabels = new int[400];
        double[][] train = features(800, trainLabels, 1);
        double[][] test = features(400, testLabels, 2);
        Probe.Result r = Probe.run(train, trainLabels, test, testLabels);
        assertTrue(r.test() >= 0.99, "test accuracy " + r.test());
        assertTrue(r.validation() >= 0.99, "validation accuracy " + r.validation());
        assertEquals(6, r.features());
    }

    @Test
    void theReadoutsAreTheSameStatesArrangedTwoWays() {
        ImageSet images = TestProblems.randomImages(5, 12, 12, 1, 8);
        int n = 3;
        int T = 4;
        Fixations fixations = new Fixations(new RasterPolicy(), T, 3, 1);
        Parameters p = TestProblems.randomParameters(fixations.dimensions(n, 1), 0.8, 9);
        Target target = Target.copyOf(p);
        double[][] states = Probe.networkFeatures(images, fixations, p, target, false, 1,
                Probe.Readout.STATES);
        double[][] lastMean = Probe.networkFeatures(images, fixations, p, target, false, 1,
                Probe.Readout.LAST_AND_MEAN);
        assertEquals(T * n, states[0].length);
        assertEquals(2 * n, lastMean[0].length);
        for (int img = 0; img < images.count(); img++) {
            for (int i = 0; i < n; i++) {
                double mean = 0;
                for (int t = 0; t < T; t++) {
                    mean += states[img][t * n + i] / T;
                }
                assertEquals(states[img][(T - 1) * n + i], lastMean[img][i], 0.0, "h_T");
                assertEquals(mean, lastMean[img][n + i], Tolerances.FLOAT_VALUE, "mean h_t");
            }
        }
    }

    @Test
    void readoutsGoByTheirCommandLineNames() {
        assertEquals(Probe.Readout.STATES, Probe.Readout.byName("states"));
        assertEquals(Probe.Readout.LAST_AND_MEAN, Probe.Readout.byName("last-mean"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> Probe.Readout.byName("h_T"));
        assertTrue(e.getMessage().contains("last-mean or states"), e.getMessage());
    }

    @Test
    void shuffledLabelsStayNearChance() {
        int[] trainLabels = new int[800];
        int[] testLabels = new int[800];
        double[][] train = features(800, trainLabels, 3);
        double[][] test = features(800, testLabels, 4);
        SplittableRandom random = new SplittableRandom(5);
        for (int[] labels : new int[][] {trainLabels, testLabels}) {
            for (int i = labels.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = labels[i];
                labels[i] = labels[j];
                labels[j] = swap;
            }
        }
        Probe.Result r = Probe.run(train, trainLabels, test, testLabels);
        // chance is 0.25; 800 test images give a standard error of about 0.015
        assertEquals(0.25, r.test(), 0.06, "test accuracy on shuffled labels");
    }

    @Test
    void theFitLowersTheObjectiveAndItsGradientIsRight() {
        int[] labels = new int[50];
        double[][] x = features(50, labels, 6);
        double[] w = new double[CLASSES * 7];
        SplittableRandom random = new SplittableRandom(7);
        for (int q = 0; q < w.length; q++) {
            w[q] = 0.1 * Gaussian.next(random);
        }
        double[] g = new double[w.length];
        LogisticRegression.objective(x, labels, CLASSES, 0.3, w, g);
        for (int q = 0; q < w.length; q++) {
            double saved = w[q];
            w[q] = saved + 1e-6;
            double up = LogisticRegression.objective(x, labels, CLASSES, 0.3, w, new double[
                    w.length]);
            w[q] = saved - 1e-6;
            double down = LogisticRegression.objective(x, labels, CLASSES, 0.3, w, new double[
                    w.length]);
            w[q] = saved;
            assertEquals((up - down) / 2e-6, g[q], 1e-6, "gradient entry " + q);
        }
    }
}
