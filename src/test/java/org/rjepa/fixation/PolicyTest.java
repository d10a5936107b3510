package org.rjepa.fixation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rjepa.TestProblems;
import org.rjepa.data.ImageSet;
import org.rjepa.io.BadInputException;

/** The saliency, raster and scanpath policies: in bounds, deterministic, and as described. */
class PolicyTest {
    @TempDir
    Path folder;

    private static final ImageSet IMAGES = TestProblems.randomImages(3, 11, 17, 2, 5);

    private static double[][] centres(FixationPolicy policy, ImageSet images, int image,
            long seed, int T) {
        double[] x = new double[T];
        double[] y = new double[T];
        policy.centres(images, image, new SplittableRandom(seed), x, y);
        return new double[][] {x, y};
    }

    @Test
    void saliencyAndRasterStayInBoundsAndRepeatForASeed() {
        for (FixationPolicy policy : List.of(new SaliencyPolicy(3), new RasterPolicy())) {
            for (int image = 0; image < IMAGES.count(); image++) {
                for (long seed = 0; seed < 5; seed++) {
                    double[][] c = centres(policy, IMAGES, image, seed, 30);
                    for (int t = 0; t < 30; t++) {
                        assertTrue(c[0][t] >= 0 && c[0][t] <= IMAGES.width() - 1,
                                policy.name() + " x " + c[0][t]);
                        assertTrue(c[1][t] >= 0 && c[1][t] <= IMAGES.height() - 1,
                                policy.name() + " y " + c[1][t]);
                    }
                    double[][] again = centres(policy, IMAGES, image, seed, 30);
                    assertArrayEquals(c[0], again[0], policy.name());
                    assertArrayEquals(c[1], again[1], policy.name());
                }
            }
        }
    }

    @Test
    void rasterVisitsTheCellCentresRowByRow() {
        ImageSet blank = new ImageSet(new float[28 * 28], null, 1, 28, 28, 1, "blank");
        double[][] c = centres(new RasterPolicy(), blank, 0, 1, 9);
        assertArrayEquals(new double[] {4.5, 13.5, 22.5, 4.5, 13.5, 22.5, 4.5, 13.5, 22.5},
                c[0], 1e-12);
        assertArrayEquals(new double[] {4.5, 4.5, 4.5, 13.5, 13.5, 13.5, 22.5, 22.5, 22.5},
                c[1], 1e-12);
    }

    @Test
    void saliencyLooksAtTheTexturedCornerAndNotTwiceAtOnePlace() {
        // a flat 32x32 image with a noisy 8x8 square in the top left corner
        int side = 32;
        float[] pixels = new float[side * side];
        SplittableRandom random = new SplittableRandom(9);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                pixels[y * side + x] = (float) random.nextDouble(-3, 3);
            }
        }
        ImageSet image = new ImageSet(pixels, null, 1, side, side, 1, "corner");
        int inside = 0;
        int total = 0;
        for (long seed = 0; seed < 40; seed++) {
            double[][] c = centres(new SaliencyPolicy(2), image, 0, seed, 3);
            for (int t = 0; t < 3; t++) {
                total++;
                if (c[0][t] < 11 && c[1][t] < 11) {
                    inside++;
                }
            }
            // inhibition of return: the second fixation is away from the first
            double dx = c[0][1] - c[0][0];
            double dy = c[1][1] - c[1][0];
            assertTrue(dx * dx + dy * dy > 0.25, "the eye came back at once, seed " + seed);
        }
        // the corner (with its contrast halo) is 11% of the image but draws most fixations
        assertTrue(inside > 0.7 * total, inside + " of " + total + " fixations in the corner");
    }

    @Test
    void scanpathTakesEachImagesFixationsInOrderAndHoldsTheLast() throws IOException {
        Path file = folder.resolve("eyes.csv");
        Files.writeString(file, "image,order,x,y\n1,2,3.5,4\n1,1,0,0\n# a comment\n\n"
                + "2,5,16,10\n");
        ScanpathPolicy policy = ScanpathPolicy.read(file);
        policy.check(IMAGES);
        double[][] c = centres(policy, IMAGES, 1, 0, 3);
        assertArrayEquals(new double[] {0, 3.5, 3.5}, c[0]);
        assertArrayEquals(new double[] {0, 4, 4}, c[1]);
        // a subset keeps the index the file uses
        ImageSet subset = IMAGES.subset(new int[] {2});
        assertEquals(2, subset.sourceIndex(0));
        assertArrayEquals(new double[] {16, 16}, centres(policy, subset, 0, 0, 2)[0]);
        BadInputException missing = assertThrows(BadInputException.class,
                () -> centres(policy, IMAGES, 0, 0, 2));
        assertTrue(missing.getMessage().contains("no fixations for image 0"),
                missing.getMessage());

        // a run looks only at the images the file covers, and keeps their indices
        ImageSet seen = policy.looksAt(IMAGES);
        assertEquals(2, seen.count());
        assertEquals(1, seen.sourceIndex(0));
        assertEquals(2, seen.sourceIndex(1));
        assertArrayEquals(new double[] {0, 3.5}, centres(policy, seen, 0, 0, 2)[0]);
        assertTrue(new RasterPolicy().looksAt(IMAGES) == IMAGES, "other policies see all");
    }

    @Test
    void aScanpathOfNoneOfTheImagesOrOutsideThemIsRefusedByLooksAt() throws IOException {
        Path none = folder.resolve("none.csv");
        Files.writeString(none, "9,1,1,1\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> ScanpathPolicy.read(none).looksAt(IMAGES));
        assertTrue(e.getMessage().contains("none of the images"), e.getMessage());

        Path outside = folder.resolve("outside.csv");
        Files.writeString(outside, "2,1,1,1\n2,2,40,1\n");
        e = assertThrows(BadInputException.class,
                () -> ScanpathPolicy.read(outside).looksAt(IMAGES.subset(new int[] {2})));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void scanpathRefusesWhatCannotBeLookedAt() throws IOException {
        Path outside = folder.resolve("outside.csv");
        Files.writeString(outside, "0,1,17,3\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> ScanpathPolicy.read(outside).check(IMAGES));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());

        Path unknown = folder.resolve("unknown.csv");
        Files.writeString(unknown, "3,1,1,1\n");
        e = assertThrows(BadInputException.class,
                () -> ScanpathPolicy.read(unknown).check(IMAGES));
        assertTrue(e.getMessage().contains("names image 3"), e.getMessage());

        for (String line : new String[] {"0,1,2", "0,1,x,2", "-1,1,2,2", "0.5,1,2,2",
            "0,1,NaN,2"}) {
            Path bad = folder.resolve("bad.csv");
            Files.writeString(bad, "0,0,1,1\n" + line + "\n");
            e = assertThrows(BadInputException.class, () -> ScanpathPolicy.read(bad), line);
            assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        }
        assertTrue(Policies.byName("scanpath:" + outside, 4) instanceof ScanpathPolicy);
    }
}
