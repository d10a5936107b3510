package org.rjepa.data;

import java.nio.file.Path;

/**
 * One kind of image data on disk: MNIST-format IDX files ({@code idx}), CIFAR-10 binary
 * batches ({@code cifar10}) or a folder of image files ({@code images}). Each reads a path
 * into one fixed-size {@link ImageSet} of values in [0, 1], or refuses it with a
 * {@link org.rjepa.io.BadInputException} of one sentence naming the file and what is wrong.
 * {@link ImageSources} detects which kind a path is.
 */
public interface ImageSource {
    /** idx, cifar10 or images: the name {@code --data-format} takes. */
    String format();

    /**
     * Reads every image under {@code path}.
     *
     * @param path    a folder, or a single file where the kind allows it
     * @param options how to size the images and what to do with a bad one
     */
    ImageSet read(Path path, ReadOptions options);
}
