package org.rjepa.fixation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rjepa.TestProblems;
import org.rjepa.data.ImageSet;
import org.rjepa.io.BadInputException;
import org.rjepa.model.Dimensions;

/**
 * Fixation policies, patch sampling, position codes and fixation batches (DESIGN.md section
 * 2), on hand-built images whose every value is known.
 */
class FixationTest {
    /** Image sizes {height, width}: a single pixel, one row, one column, odd, Fashion-MNIST. */
    private static final int[][] SIZES = {{1, 1}, {1, 7}, {7, 1}, {13, 11}, {28, 28}};

    /** Rounding of one float near 1, the scale of every Fourier feature. */
    private static final double FLOAT_ULP = Math.ulp(1.0f);

    private static List<FixationPolicy> policies() {
        return List.of(new UniformPolicy(), new RandomWalkPolicy(0), new RandomWalkPolicy(1),
                new RandomWalkPolicy(4), new RandomWalkPolicy(50));
    }

    private static String label(FixationPolicy p) {
        return p instanceof RandomWalkPolicy w ? p.name() + "(" + w.step() + ")" : p.name();
    }

    private static double[][] centres(FixationPolicy policy, int height, int width, long seed,
            int T) {
        double[] x = new double[T];
        double[] y = new double[T];
        policy.centres(blank(height, width), 0, new SplittableRandom(seed), x, y);
        return new double[][] {x, y};
    }

    /** One image of zeros: what uniform and random-walk policies see is its size alone. */
    private static ImageSet blank(int height, int width) {
        return new ImageSet(new float[height * width], null, 1, height, width, 1, "blank");
    }

    /** Image whose value at (y, x, c) is {@code 100 c + 10 y + x + 1}: every value unique. */
    private static ImageSet numbered(int height, int width, int channels) {
        float[] pixels = new float[height * width * channels];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    pixels[(y * width + x) * channels + c] = 100 * c + 10 * y + x + 1;
                }
            }
        }
        return new ImageSet(pixels, null, 1, height, width, channels, "numbered");
    }

    /** The image value at an integer position, zero outside, as the sampler pads. */
    private static double value(ImageSet image, int y, int x, int c) {
        if (y < 0 || y >= image.height() || x < 0 || x >= image.width()) {
            return 0;
        }
        return image.pixel(0, y, x, c);
    }

    private static float[] patch(ImageSet image, double cx, double cy, int k) {
        float[] out = new float[k * k * image.channels()];
        PatchSampler.sample(image, 0, cx, cy, k, out, 0);
        return out;
    }

    private static float[] position(double x, double y, int height, int width, int L) {
        float[] out = new float[4 * L];
        PositionCode.position(x, y, height, width, L, out, 0);
        return out;
    }

    private static float[] saccade(double dx, double dy, int height, int width, int L) {
        float[] out = new float[4 * L];
        PositionCode.saccade(dx, dy, height, width, L, out, 0);
        return out;
    }

    // ---- policies ----

    @Test
    void everyPolicyKeepsCentresInsideTheImage() {
        for (FixationPolicy policy : policies()) {
            for (int[] size : SIZES) {
                int H = size[0];
                int W = size[1];
                for (long seed = 0; seed < 200; seed++) {
                    double[][] c = centres(policy, H, W, seed, 25);
                    for (int t = 0; t < 25; t++) {
                        double x = c[0][t];
                        double y = c[1][t];
                        if (!(x >= 0 && x <= W - 1 && y >= 0 && y <= H - 1)) {
                            fail(label(policy) + " on " + H + "x" + W + ", seed " + seed
                                    + ": centre " + t + " at (x " + x + ", y " + y
                                    + ") lies outside [0, " + (W - 1) + "] x [0, " + (H - 1)
                                    + "]");
                        }
                    }
                }
            }
        }
    }

    @Test
    void sameSeedGivesTheSameCentresAndAnotherSeedOthers() {
        for (FixationPolicy policy : policies()) {
            for (int[] size : new int[][] {{1, 7}, {7, 1}, {13, 11}, {28, 28}}) {
                int H = size[0];
                int W = size[1];
                for (long seed = 1; seed <= 20; seed++) {
                    String what = label(policy) + " on " + H + "x" + W + ", seed " + seed;
                    double[][] first = centres(policy, H, W, seed, 9);
                    double[][] again = centres(policy, H, W, seed, 9);
                    assertArrayEquals(first[0], again[0], what + ": x differs on a rerun");
                    assertArrayEquals(first[1], again[1], what + ": y differs on a rerun");

                    double[][] other = centres(policy, H, W, seed + 1000, 9);
                    assertFalse(Arrays.equals(first[0], other[0])
                            && Arrays.equals(first[1], other[1]),
                            what + ": seed " + (seed + 1000) + " gives the same centres");
                }
            }
        }
    }

    @Test
    void aSinglePixelImageIsFixatedAtItsOnlyPixel() {
        for (FixationPolicy policy : policies()) {
            double[][] c = centres(policy, 1, 1, 7, 6);
            assertArrayEquals(new double[6], c[0], label(policy));
            assertArrayEquals(new double[6], c[1], label(policy));
        }
    }

    @Test
    void randomWalkOfStepZeroStaysWhereItStarted() {
        double[][] c = centres(new RandomWalkPolicy(0), 28, 28, 3, 10);
        for (int t = 1; t < 10; t++) {
            assertEquals(c[0][0], c[0][t], "x at " + t);
            assertEquals(c[1][0], c[1][t], "y at " + t);
        }
    }

    @Test
    void randomWalkStepsHaveTheRequestedSpread() {
        // steps of 1 px on a large image rarely meet the border, so increments are N(0, 1)
        RandomWalkPolicy walk = new RandomWalkPolicy(1);
        double sum = 0;
        double squares = 0;
        int count = 0;
        for (long seed = 0; seed < 200; seed++) {
            double[][] c = centres(walk, 2001, 2001, seed, 20);
            for (int t = 1; t < 20; t++) {
                for (int axis = 0; axis < 2; axis++) {
                    double d = c[axis][t] - c[axis][t - 1];
                    sum += d;
                    squares += d * d;
                    count++;
                }
            }
        }
        double mean = sum / count;
        double std = Math.sqrt(squares / count - mean * mean);
        // 7,600 increments: the standard error of the std is about 0.008
        assertEquals(0, mean, 0.05, "mean step");
        assertEquals(1, std, 0.05, "step standard deviation");
    }

    @Test
    void emptySequenceWritesNothing() {
        for (FixationPolicy policy : policies()) {
            policy.centres(blank(5, 5), 0, new SplittableRandom(1), new double[0],
                    new double[0]);
        }
    }

    @Test
    void reflectFoldsValuesBackAsAMirrorWould() {
        double[][] cases = {
            // v, max, expected
            {0, 10, 0}, {10, 10, 10}, {3.25, 10, 3.25},
            {-1, 10, 1}, {11, 10, 9}, {-10, 10, 10}, {20, 10, 0},
            {21, 10, 1}, {-21, 10, 1}, {35, 10, 5}, {-35, 10, 5},
            {-0.25, 0.5, 0.25}, {1.75, 0.5, 0.25},
            {1e17, 3, 2}, {-1e17, 3, 2},
            {5, 0, 0}, {-5, 0, 0},
        };
        for (double[] c : cases) {
            assertEquals(c[2], RandomWalkPolicy.reflect(c[0], c[1]),
                    "reflect(" + c[0] + ", " + c[1] + ")");
        }
    }

    @Test
    void reflectAgreesWithRepeatedMirroring() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 2000; i++) {
            double max = 1 + random.nextInt(30);
            double v = (random.nextDouble() - 0.5) * 40 * max;
            double expected = v;
            while (expected < 0 || expected > max) {
                expected = expected < 0 ? -expected : 2 * max - expected;
            }
            assertEquals(expected, RandomWalkPolicy.reflect(v, max), 1e-9 * max,
                    "reflect(" + v + ", " + max + ")");
        }
    }

    @Test
    void randomWalkRefusesStepsThatCannotMakeAWalk() {
        for (double step : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new RandomWalkPolicy(step),
                    "step " + step);
        }
    }

    @Test
    void policiesAreFoundByTheirCommandLineNames() {
        assertTrue(Policies.byName("uniform", 4) instanceof UniformPolicy);
        FixationPolicy walk = Policies.byName("random-walk", 2.5);
        assertEquals("random-walk", walk.name());
        assertEquals(2.5, ((RandomWalkPolicy) walk).step());
        BadInputException e = assertThrows(BadInputException.class,
                () -> Policies.byName("spiral", 4));
        assertTrue(e.getMessage().contains("spiral"), e.getMessage());
    }

    // ---- patch sampler ----

    @Test
    void oddPatchAtAnIntegerCentreCopiesThePixels() {
        ImageSet image = numbered(6, 7, 1);
        for (int k : new int[] {1, 3, 5}) {
            int half = (k - 1) / 2;
            for (int cy = 0; cy < 6; cy++) {
                for (int cx = 0; cx < 7; cx++) {
                    float[] p = patch(image, cx, cy, k);
                    for (int r = 0; r < k; r++) {
                        for (int q = 0; q < k; q++) {
                            assertEquals(value(image, cy + r - half, cx + q - half, 0),
                                    p[r * k + q], "k " + k + " centre (" + cx + ", " + cy
                                    + ") patch pixel (" + r + ", " + q + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    void hand3x3PatchIsTheNeighbourhood() {
        ImageSet image = numbered(4, 5, 1);
        // rows 1..3, columns 1..3 around (x 2, y 2): 10 y + x + 1
        float[] expected = {12, 13, 14, 22, 23, 24, 32, 33, 34};
        assertArrayEquals(expected, patch(image, 2, 2, 3));
        // at the top-left corner the row and column before the image are zero
        float[] corner = {0, 0, 0, 0, 1, 2, 0, 11, 12};
        assertArrayEquals(corner, patch(image, 0, 0, 3));
    }

    @Test
    void evenPatchIsCentredBetweenPixels() {
        // pixel (r, q) samples row cy + r - (k-1)/2: for k = 2 and centre (1.5, 2.5) that is
        // rows 2, 3 and columns 1, 2 exactly
        ImageSet image = numbered(5, 6, 1);
        assertArrayEquals(new float[] {22, 23, 32, 33}, patch(image, 1.5, 2.5, 2));
        for (int k : new int[] {2, 4}) {
            double half = (k - 1) / 2.0;
            for (int cy = 0; cy < 5; cy++) {
                for (int cx = 0; cx < 6; cx++) {
                    // a centre half a pixel off lands every sample on a pixel
                    float[] p = patch(image, cx + 0.5, cy + 0.5, k);
                    for (int r = 0; r < k; r++) {
                        for (int q = 0; q < k; q++) {
                            int y = (int) (cy + 0.5 + r - half);
                            int x = (int) (cx + 0.5 + q - half);
                            assertEquals(value(image, y, x, 0), p[r * k + q], "k " + k
                                    + " centre (" + (cx + 0.5) + ", " + (cy + 0.5) + ") pixel ("
                                    + r + ", " + q + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    void evenPatchAtAnIntegerCentreAveragesFourPixels() {
        ImageSet image = numbered(5, 6, 1);
        // k = 2 at (2, 2) samples (1.5, 1.5), (2.5, 1.5), (1.5, 2.5), (2.5, 2.5)
        float[] p = patch(image, 2, 2, 2);
        float[] expected = {
            (12 + 13 + 22 + 23) / 4f, (13 + 14 + 23 + 24) / 4f,
            (22 + 23 + 32 + 33) / 4f, (23 + 24 + 33 + 34) / 4f,
        };
        assertArrayEquals(expected, p);
    }

    @Test
    void halfPixelCentreIsTheBilinearAverage() {
        ImageSet image = numbered(5, 6, 1);
        // half a pixel to the right: the mean of two horizontal neighbours
        assertArrayEquals(new float[] {(23 + 24) / 2f}, patch(image, 2.5, 2, 1));
        // half a pixel down: two vertical neighbours
        assertArrayEquals(new float[] {(23 + 33) / 2f}, patch(image, 2, 2.5, 1));
        // both: four neighbours
        assertArrayEquals(new float[] {(23 + 24 + 33 + 34) / 4f}, patch(image, 2.5, 2.5, 1));
        // a quarter to the right, three quarters down: the bilinear weights
        double expected = 0.25 * (0.75 * 23 + 0.25 * 24) + 0.75 * (0.75 * 33 + 0.25 * 34);
        assertEquals((float) expected, patch(image, 2.25, 2.75, 1)[0]);
        // a 3x3 patch at half-pixel centres: every value the mean of its four neighbours
        float[] p = patch(image, 1.5, 1.5, 3);
        for (int r = 0; r < 3; r++) {
            for (int q = 0; q < 3; q++) {
                double y = 1.5 + r - 1;
                double x = 1.5 + q - 1;
                int y0 = (int) Math.floor(y);
                int x0 = (int) Math.floor(x);
                double mean = (value(image, y0, x0, 0) + value(image, y0, x0 + 1, 0)
                        + value(image, y0 + 1, x0, 0) + value(image, y0 + 1, x0 + 1, 0)) / 4;
                assertEquals((float) mean, p[r * 3 + q], "pixel (" + r + ", " + q + ")");
            }
        }
    }

    @Test
    void outsideTheImageIsZero() {
        ImageSet image = numbered(5, 6, 2);
        // far outside on every side
        for (double[] c : new double[][] {{-10, 2}, {20, 2}, {2, -10}, {2, 20}, {-50, -50}}) {
            float[] p = patch(image, c[0], c[1], 3);
            assertArrayEquals(new float[3 * 3 * 2], p, "centre (" + c[0] + ", " + c[1] + ")");
        }
        // half a pixel past the left edge: half of the first column, blended with zero
        assertArrayEquals(new float[] {21 / 2f, 121 / 2f}, patch(image, -0.5, 2, 1));
        // half a pixel past the bottom-right corner: a quarter of the corner pixel
        assertArrayEquals(new float[] {46 / 4f, 146 / 4f}, patch(image, 5.5, 4.5, 1));
        // a whole pixel past: nothing
        assertArrayEquals(new float[2], patch(image, 6, 2, 1));
    }

    @Test
    void channelsAreLastInThePatch() {
        ImageSet image = numbered(4, 5, 3);
        int k = 3;
        float[] p = patch(image, 2, 1, k);
        for (int r = 0; r < k; r++) {
            for (int q = 0; q < k; q++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(value(image, 1 + r - 1, 2 + q - 1, c), p[(r * k + q) * 3 + c],
                            "pixel (" + r + ", " + q + ") channel " + c);
                }
            }
        }
        // the centre pixel's three channels, side by side
        assertArrayEquals(new float[] {13, 113, 213}, Arrays.copyOfRange(p, 12, 15));
    }

    @Test
    void samplerWritesOnlyItsSliceOfTheImageItIsGiven() {
        // three images, each with its own values; the second one is sampled
        float[] pixels = new float[3 * 4 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i;
        }
        ImageSet images = new ImageSet(pixels, null, 3, 4, 4, 1, "three");
        float[] out = new float[20];
        Arrays.fill(out, -7);
        PatchSampler.sample(images, 1, 1, 1, 3, out, 5);
        float[] expected = new float[20];
        Arrays.fill(expected, -7);
        float[] neighbourhood = {16, 17, 18, 20, 21, 22, 24, 25, 26};
        System.arraycopy(neighbourhood, 0, expected, 5, 9);
        assertArrayEquals(expected, out);
    }

    // ---- position codes ----

    @Test
    void positionCodeHandValues() {
        int H = 11;
        int W = 29;
        int L = 2;
        // the image centre normalises to 0 on both axes: sin 0 = 0, cos 0 = 1, every l
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1, 0, 1}, position(14, 5, H, W, L));

        // top-left corner: -1 on both axes; sin(-pi), cos(-pi), sin(-2 pi), cos(-2 pi)
        float[] corner = position(0, 0, H, W, L);
        float[] cornerExpected = {0, -1, 0, 1, 0, -1, 0, 1};
        assertArrayEquals(cornerExpected, corner, (float) FLOAT_ULP);
        assertEquals((float) Math.sin(-Math.PI), corner[0], "sin(-pi) as computed");
        assertTrue(corner[0] < 0, "sin(-pi) rounds to a tiny negative number: " + corner[0]);

        // bottom-right: +1; a quarter of the way along x: -1/2 so sin = -1, cos = 0
        assertArrayEquals(new float[] {0, -1, 0, 1, 0, -1, 0, 1}, position(28, 10, H, W, L),
                (float) FLOAT_ULP);
        assertArrayEquals(new float[] {-1, 0, 0, -1, 0, 1, 0, 1}, position(7, 5, H, W, L),
                (float) FLOAT_ULP);
    }

    @Test
    void positionCodeLaysOutXThenYByFrequency() {
        int H = 13;
        int W = 17;
        int L = 3;
        double x = 3.7;
        double y = 9.2;
        float[] code = position(x, y, H, W, L);
        double[] v = {2 * x / (W - 1) - 1, 2 * y / (H - 1) - 1};
        for (int axis = 0; axis < 2; axis++) {
            for (int l = 0; l < L; l++) {
                double angle = Math.PI * Math.pow(2, l) * v[axis];
                int o = axis * 2 * L + 2 * l;
                assertEquals(Math.sin(angle), code[o], FLOAT_ULP, "sin axis " + axis + " l " + l);
                assertEquals(Math.cos(angle), code[o + 1], FLOAT_ULP,
                        "cos axis " + axis + " l " + l);
            }
        }
    }

    @Test
    void positionCodeWritesOnlyItsSlice() {
        float[] out = new float[14];
        Arrays.fill(out, 9);
        PositionCode.position(14, 5, 11, 29, 2, out, 3);
        float[] expected = {9, 9, 9, 0, 1, 0, 1, 0, 1, 0, 1, 9, 9, 9};
        assertArrayEquals(expected, out);
        // L = 0 writes nothing
        Arrays.fill(out, 9);
        PositionCode.position(3, 3, 11, 29, 0, out, 0);
        PositionCode.saccade(3, 3, 11, 29, 0, out, 0);
        float[] nines = new float[14];
        Arrays.fill(nines, 9);
        assertArrayEquals(nines, out);
    }

    @Test
    void saccadeCodeHandValues() {
        int H = 11;
        int W = 29;
        // no move: psi_s(0) = sin 0, cos 0 for every l and axis
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1, 0, 1}, saccade(0, 0, H, W, 2));
        // half the width right, the whole height up: +1 and -2 after normalising
        float[] s = saccade(14, -10, H, W, 2);
        assertArrayEquals(new float[] {0, -1, 0, 1, 0, 1, 0, 1}, s, (float) FLOAT_ULP);
    }

    @Test
    void saccadeCodeIsTheCodeOfTheDifferenceOfNormalisedPositions() {
        SplittableRandom random = new SplittableRandom(11);
        for (int[] size : new int[][] {{13, 11}, {28, 28}, {2, 9}}) {
            int H = size[0];
            int W = size[1];
            int L = 3;
            for (int i = 0; i < 200; i++) {
                double x1 = random.nextDouble() * (W - 1);
                double y1 = random.nextDouble() * (H - 1);
                double x2 = random.nextDouble() * (W - 1);
                double y2 = random.nextDouble() * (H - 1);
                float[] s = saccade(x2 - x1, y2 - y1, H, W, L);
                double[] v = {
                    (2 * x2 / (W - 1) - 1) - (2 * x1 / (W - 1) - 1),
                    (2 * y2 / (H - 1) - 1) - (2 * y1 / (H - 1) - 1),
                };
                for (int axis = 0; axis < 2; axis++) {
                    for (int l = 0; l < L; l++) {
                        double angle = Math.PI * Math.pow(2, l) * v[axis];
                        int o = axis * 2 * L + 2 * l;
                        String what = H + "x" + W + " move " + i + " axis " + axis + " l " + l;
                        assertEquals(Math.sin(angle), s[o], 2 * FLOAT_ULP, "sin " + what);
                        assertEquals(Math.cos(angle), s[o + 1], 2 * FLOAT_ULP, "cos " + what);
                    }
                }
            }
        }
    }

    // ---- fixation batches ----

    /** Every {@code u_t} of sequence b, one after the other. */
    private static float[] inputs(FixationBatch batch, int b) {
        return rows(batch, b, true);
    }

    /** Every {@code psi_s(s_t)} of sequence b, one after the other. */
    private static float[] saccades(FixationBatch batch, int b) {
        return rows(batch, b, false);
    }

    private static float[] rows(FixationBatch batch, int b, boolean inputs) {
        int width = inputs ? batch.dims.m() : batch.dims.ms();
        float[] all = new float[batch.T * width];
        for (int t = 0; t < batch.T; t++) {
            float[] row = inputs ? batch.u(b, t) : batch.s(b, t);
            assertEquals(width, row.length, (inputs ? "u" : "s") + " row length");
            System.arraycopy(row, 0, all, t * width, width);
        }
        return all;
    }

    @Test
    void batchInputIsThePatchThenThePositionCode() {
        ImageSet images = TestProblems.randomImages(5, 13, 11, 2, 21);
        Fixations fixations = new Fixations(new RandomWalkPolicy(3), 6, 3, 2);
        long[] seeds = {8, 9, 10};
        FixationBatch batch = FixationBatch.sample(images, new int[] {4, 0, 2}, seeds,
                fixations, 7);

        Dimensions d = batch.dims;
        assertEquals(new Dimensions(7, 3 * 3 * 2 + 8, 8, 3 * 3 * 2), d);
        assertEquals(3, batch.B);
        assertEquals(6, batch.T);
        assertEquals(3 * 6, batch.x.length);
        for (int b = 0; b < 3; b++) {
            double[][] c = centres(fixations.policy(), 13, 11, seeds[b], 6);
            for (int t = 0; t < 6; t++) {
                String what = "sequence " + b + " fixation " + t;
                int row = b * 6 + t;
                assertEquals(c[0][t], batch.x[row], what + " x");
                assertEquals(c[1][t], batch.y[row], what + " y");

                // u_t = [x_t ; psi(p_t)]
                float[] expected = new float[d.m()];
                PatchSampler.sample(images, batch.images[b], c[0][t], c[1][t], 3, expected, 0);
                PositionCode.position(c[0][t], c[1][t], 13, 11, 2, expected, d.mx());
                assertArrayEquals(expected, batch.u(b, t), what + " u");

                // psi_s(p_{t+1} - p_t), and psi_s(0) after the last fixation
                float[] expectedS = new float[d.ms()];
                double dx = t + 1 < 6 ? c[0][t + 1] - c[0][t] : 0;
                double dy = t + 1 < 6 ? c[1][t + 1] - c[1][t] : 0;
                PositionCode.saccade(dx, dy, 13, 11, 2, expectedS, 0);
                assertArrayEquals(expectedS, batch.s(b, t), what + " s");
            }
        }
    }

    @Test
    void lastSaccadeCodeIsTheCodeOfNoMove() {
        ImageSet images = TestProblems.randomImages(3, 28, 28, 1, 4);
        for (FixationPolicy policy : policies()) {
            for (int L : new int[] {1, 2, 3}) {
                Fixations fixations = new Fixations(policy, 5, 4, L);
                FixationBatch batch = FixationBatch.sample(images, new int[] {0, 1, 2},
                        new long[] {1, 2, 3}, fixations, 3);
                float[] noMove = new float[4 * L];
                for (int i = 0; i < noMove.length; i += 2) {
                    noMove[i + 1] = 1;
                }
                for (int b = 0; b < 3; b++) {
                    assertArrayEquals(noMove, batch.s(b, 4),
                            label(policy) + " L " + L + " sequence " + b);
                }
            }
        }
    }

    @Test
    void aSequenceDoesNotDependOnTheRestOfTheBatch() {
        ImageSet images = TestProblems.randomImages(10, 28, 28, 1, 6);
        Fixations fixations = new Fixations(new RandomWalkPolicy(4), 8, 5, 2);
        FixationBatch big = FixationBatch.sample(images, new int[] {3, 5, 7, 1},
                new long[] {11, 22, 33, 44}, fixations, 4);
        FixationBatch small = FixationBatch.sample(images, new int[] {9, 7},
                new long[] {55, 33}, fixations, 4);
        FixationBatch alone = FixationBatch.sample(images, new int[] {7},
                new long[] {33}, fixations, 4);
        for (FixationBatch other : new FixationBatch[] {small, alone}) {
            int b = other.B - 1;
            assertArrayEquals(inputs(big, 2), inputs(other, b), "u rows");
            assertArrayEquals(saccades(big, 2), saccades(other, b), "s rows");
            assertArrayEquals(Arrays.copyOfRange(big.x, 16, 24),
                    Arrays.copyOfRange(other.x, b * 8, b * 8 + 8), "x");
            assertArrayEquals(Arrays.copyOfRange(big.y, 16, 24),
                    Arrays.copyOfRange(other.y, b * 8, b * 8 + 8), "y");
        }
        // the same seed on another image moves the eye the same way over other pixels
        FixationBatch elsewhere = FixationBatch.sample(images, new int[] {2},
                new long[] {33}, fixations, 4);
        assertArrayEquals(Arrays.copyOfRange(big.x, 16, 24), elsewhere.x);
        assertArrayEquals(saccades(big, 2), saccades(elsewhere, 0), "s rows");
        assertFalse(Arrays.equals(inputs(big, 2), inputs(elsewhere, 0)),
                "another image, same patches");
    }

    @Test
    void batchKeepsItsOwnCopyOfTheImageIndices() {
        ImageSet images = TestProblems.randomImages(4, 6, 6, 1, 2);
        int[] which = {1, 2};
        FixationBatch batch = FixationBatch.sample(images, which, new long[] {1, 2},
                new Fixations(new UniformPolicy(), 2, 2, 1), 2);
        which[0] = 3;
        assertArrayEquals(new int[] {1, 2}, batch.images);
    }

    @Test
    void fixationsRefuseShapesThatCannotMakeASequence() {
        FixationPolicy policy = new UniformPolicy();
        assertThrows(IllegalArgumentException.class, () -> new Fixations(policy, 1, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new Fixations(policy, 4, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> new Fixations(policy, 4, 3, -1));
        Fixations ok = new Fixations(policy, 2, 3, 0);
        assertEquals(new Dimensions(5, 27, 0, 27), ok.dimensions(5, 3));
    }
}
