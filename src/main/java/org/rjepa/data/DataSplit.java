package org.rjepa.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The fixed split of a data set into training and held-out images, and the standardisation
 * measured on the training images. The split's seed is a constant, not the run's seed, so
 * the held-out images are the same for every run on the same data and never trained on.
 *
 * @param train   training images, standardised
 * @param heldOut held-out images, standardised with the training images' mean and std
 * @param mean    pixel mean of the training images before standardisation
 * @param std     pixel standard deviation of the training images before standardisation
 */
public record DataSplit(ImageSet train, ImageSet heldOut, double mean, double std) {
    /** The split's seed; changing it changes which images are held out. */
    public static final long SPLIT_SEED = 0x5EEDF00DL;

    /** Holds out {@code round(fraction * count)} images (at least one), chosen by a fixed seed. */
    public static DataSplit of(ImageSet all, double fraction) {
        int count = all.count();
        int held = (int) Math.max(1, Math.round(fraction * count));
        if (held >= count) {
            throw new org.rjepa.io.BadInputException(all.source() + " has " + count
                    + (count == 1 ? " image" : " images") + ", too few to hold " + held
                    + " out and still train.");
        }
        int[][] parts = partition(count, held, SPLIT_SEED);
        int[] trainIdx = parts[0];
        int[] heldIdx = parts[1];
        ImageSet train = all.subset(trainIdx);
        double[] stats = train.meanAndStd();
        double std = stats[1] > 0 ? stats[1] : 1;
        return new DataSplit(train.standardised(stats[0], std),
                all.subset(heldIdx).standardised(stats[0], std), stats[0], std);
    }

    /**
     * The indices 0 .. count-1 shuffled by {@code seed} and cut in two: {kept, held}, each in
     * ascending order, {@code held} of them in the second.
     */
    public static int[][] partition(int count, int held, long seed) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        int[] heldIdx = Arrays.copyOfRange(order, 0, held);
        int[] kept = Arrays.copyOfRange(order, held, count);
        Arrays.sort(heldIdx);
        Arrays.sort(kept);
        return new int[][] {kept, heldIdx};
    }
}
