package org.rjepa.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run frozen at one step: the run's whole config as JSON object text, the step
 * number, and named float arrays in a fixed order. Immutable: arrays are copied on the way in
 * and on the way out, so nothing a caller does to its own arrays changes a checkpoint.
 *
 * <p>The file format is described byte by byte in {@code docs/checkpoint.md}: a magic string,
 * a version, the step, the config, the arrays in order, and a CRC-32 of everything before it,
 * all little-endian. {@link #write} replaces a file atomically, so a reader sees either the
 * old checkpoint or the new one, never half of one. {@link #read} checks every length against
 * the bytes that remain before it allocates anything, so a damaged or hostile file is refused
 * with one sentence, as a {@link BadInputException}, and costs little more memory than its size.
 */
public final class Checkpoint {
    /** The format version this class writes, and the only one {@link #read} accepts. */
    public static final int VERSION = 1;

    /** The eight bytes every checkpoint file starts with: ASCII {@code RJEPACKP}. */
    private static final byte[] MAGIC = "RJEPACKP".getBytes(StandardCharsets.US_ASCII);

    /** Bytes of the CRC-32 trailer. */
    private static final int TRAILER_BYTES = 4;

    /** The fewest bytes one array can take: name length, a one-byte name, rank. */
    private static final int MIN_ARRAY_BYTES = 4 + 1 + 4;

    /** The most elements a Java array reliably holds. */
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;

    /** Size of the stream buffers and of the chunks floats are converted in. */
    private static final int CHUNK_BYTES = 1 << 16;

    /** How many array names a "has no array" message lists before it says "and N more". */
    private static final int NAMES_IN_MESSAGES = 8;

    private static final Logger log = LoggerFactory.getLogger(Checkpoint.class);

    /** Parses config text only to check that it is one JSON object and nothing after it. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String configJson;
    private final long step;
    private final List<Tensor> tensors;
    private final Map<String, Tensor> byName;
    /** The file this checkpoint was read from, for messages; null when built in memory. */
    private final Path source;

    /**
     * One named float array with its shape, row-major (the last dimension varies fastest).
     * Rank 0 is a scalar holding one value; a zero dimension makes an array of no values.
     */
    public static final class Tensor {
        private final String name;
        private final int[] shape;
        private final float[] data;

        /**
         * @param name  non-empty, valid Unicode (no lone surrogates); unique in a checkpoint
         * @param shape dimensions, each at least 0, copied
         * @param data  the product of {@code shape} values, copied
         * @throws IllegalArgumentException if the name is empty or not valid Unicode, a
         *         dimension is negative, or {@code data} does not hold the product of the shape
         */
        public Tensor(String name, int[] shape, float[] data) {
            this(checkName(name), Objects.requireNonNull(shape, "shape").clone(),
                    Objects.requireNonNull(data, "data").clone(), true);
        }

        /** Keeps the arrays given; checks them unless the reader already has. */
        private Tensor(String name, int[] shape, float[] data, boolean check) {
            this.name = name;
            this.shape = shape;
            this.data = data;
            if (!check) {
                return;
            }
            for (int dim : shape) {
                if (dim < 0) {
                    throw new IllegalArgumentException("array \"" + name + "\" has shape "
                            + Arrays.toString(shape) + " with a negative dimension");
                }
            }
            if (valueCount(shape) != data.length) {
                throw new IllegalArgumentException("array \"" + name + "\" has "
                        + data.length + " values, not the product of its shape "
                        + Arrays.toString(shape));
            }
        }

        public String name() {
            return name;
        }

        /** The dimensions, outermost first; a copy. */
        public int[] shape() {
            return shape.clone();
        }

        /** The number of values: the product of the shape. */
        public int size() {
            return data.length;
        }

        /** The values, row-major; a copy. */
        public float[] data() {
            return data.clone();
        }

        /** Equal when name, shape and values are; values compare as {@link Arrays#equals}. */
        @Override
        public boolean equals(Object other) {
            return other instanceof Tensor t && name.equals(t.name)
                    && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
        }

        /** Name and shape, without the values. */
        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    /**
     * @param configJson the run's whole config: the text of one JSON object, kept as given
     * @param step       the training step the arrays belong to, at least 0
     * @param tensors    the arrays in the order they are to be written, names unique
     * @throws IllegalArgumentException if the config is not one JSON object, the step is
     *         negative, or two arrays share a name
     */
    public Checkpoint(String configJson, long step, List<Tensor> tensors) {
        this(Objects.requireNonNull(configJson, "configJson"), step, List.copyOf(tensors), null);
        encode(configJson, "config");
        String problem = jsonObjectProblem(configJson);
        if (problem != null) {
            throw new IllegalArgumentException("config " + problem);
        }
        if (step < 0) {
            throw new IllegalArgumentException("step " + step + " is negative");
        }
        if (byName.size() != this.tensors.size()) {
            throw new IllegalArgumentException("two arrays share a name among " + this.tensors);
        }
    }

    private Checkpoint(String configJson, long step, List<Tensor> tensors, Path source) {
        this.configJson = configJson;
        this.step = step;
        this.tensors = tensors;
        this.source = source;
        Map<String, Tensor> names = new HashMap<>();
        for (Tensor t : tensors) {
            names.put(t.name, t);
        }
        this.byName = Collections.unmodifiableMap(names);
    }

    /** The config text, exactly as it was given or read. */
    public String configJson() {
        return configJson;
    }

    public long step() {
        return step;
    }

    /** The arrays in file order; an unmodifiable list. */
    public List<Tensor> tensors() {
        return tensors;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /**
     * The array called {@code name}.
     *
     * @throws BadInputException if there is none; the sentence names the checkpoint's file
     *         (when it was read from one) and lists the arrays it does have
     */
    public Tensor tensor(String name) {
        Tensor t = byName.get(name);
        if (t != null) {
            return t;
        }
        String which = source == null ? "the checkpoint of step " + step
                : "checkpoint " + source;
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < tensors.size() && i < NAMES_IN_MESSAGES; i++) {
            names.append(i == 0 ? "" : ", ").append(tensors.get(i).name);
        }
        if (tensors.size() > NAMES_IN_MESSAGES) {
            names.append(" and ").append(tensors.size() - NAMES_IN_MESSAGES).append(" more");
        }
        throw new BadInputException(which + " has no array \"" + name + "\""
                + (tensors.isEmpty() ? "; it has no arrays at all" : "; it has " + names));
    }

    /** Equal when config text, step and arrays (in order) are; the source file is ignored. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint c && step == c.step
                && configJson.equals(c.configJson) && tensors.equals(c.tensors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configJson, step, tensors);
    }

    @Override
    public String toString() {
        return "checkpoint of step " + step + " with arrays " + tensors;
    }

    /**
     * Writes this checkpoint to {@code file}, replacing any file there atomically: the bytes
     * go to a temporary file in the same folder, are forced to the disk, and the temporary
     * file is then renamed over {@code file}. If anything fails, the temporary file is
     * deleted and whatever was at {@code file} before is left as it was.
     *
     * @throws BadInputException if the file cannot be written, in one sentence naming it
     */
    public void write(Path file) {
        long delay = Long.getLong(SLOW_WRITE_PROPERTY, 0);
        write(file, delay > 0 ? out -> new SlowStream(out, delay) : UnaryOperator.identity());
    }

    /**
     * A test hook, not a setting: milliseconds to pause in the middle of each write, so that
     * a test can kill a training process while a checkpoint is half written.
     */
    public static final String SLOW_WRITE_PROPERTY = "rjepa.test.slowCheckpointMs";

    /** Writes the first half of each chunk, flushes it, pauses, then writes the rest. */
    private static final class SlowStream extends java.io.FilterOutputStream {
        private final long delay;

        SlowStream(OutputStream out, long delay) {
            super(out);
            this.delay = delay;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int half = len / 2;
            out.write(b, off, half);
            out.flush();
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted in a slowed write");
            }
            out.write(b, off + half, len - half);
        }
    }

    /**
     * {@link #write(Path)} with the file's stream passed through {@code wrap} first, so that
     * a test can make the write fail midway.
     */
    void write(Path file, UnaryOperator<OutputStream> wrap) {
        Path fileName = file.getFileName();
        Path folder = file.toAbsolutePath().getParent();
        if (fileName == null || folder == null) {
            throw new BadInputException("cannot write checkpoint " + file
                    + ": it names no file");
        }
        if (Files.isDirectory(file)) {
            throw new BadInputException("cannot write checkpoint " + file
                    + ": it is a folder");
        }
        Path temporary = null;
        boolean moved = false;
        try {
            temporary = AtomicFiles.createTemporary(folder, fileName.toString());
            long bytes;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                OutputStream stream = wrap.apply(Channels.newOutputStream(channel));
                Sink sink = new Sink(new BufferedOutputStream(stream, CHUNK_BYTES));
                writeBody(sink);
                sink.finish();
                bytes = sink.position;
                channel.force(true);
            }
            replace(temporary, file);
            moved = true;
            forceFolder(folder);
            log.debug("wrote checkpoint {} of step {}: {} arrays, {} bytes", file, step,
                    tensors.size(), bytes);
        } catch (IOException e) {
            throw new BadInputException("cannot write checkpoint " + file + ": "
                    + IoErrors.reason(e), e);
        } finally {
            if (temporary != null && !moved) {
                deleteQuietly(temporary);
            }
        }
    }

    /** Everything before the CRC-32, in the order docs/checkpoint.md gives. */
    private void writeBody(Sink sink) throws IOException {
        sink.bytes(MAGIC);
        sink.int32(VERSION);
        sink.int64(step);
        byte[] config = configJson.getBytes(StandardCharsets.UTF_8);
        sink.int32(config.length);
        sink.bytes(config);
        sink.int32(tensors.size());
        for (Tensor t : tensors) {
            byte[] name = t.name.getBytes(StandardCharsets.UTF_8);
            sink.int32(name.length);
            sink.bytes(name);
            sink.int32(t.shape.length);
            for (int dim : t.shape) {
                sink.int32(dim);
            }
            sink.floats(t.data);
        }
    }

    private static void replace(Path temporary, Path file) throws IOException {
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            log.warn("cannot replace {} atomically ({}); replacing it in two steps", file,
                    e.getReason());
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Forces the folder entry of the rename to the disk where the system allows it. */
    private static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            log.debug("cannot force folder {} to the disk: {}", folder, IoErrors.reason(e));
        }
    }

    private static void deleteQuietly(Path temporary) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            log.warn("cannot delete temporary file {}: {}", temporary, IoErrors.reason(e));
        }
    }

    /**
     * Reads and checks the checkpoint in {@code file}.
     *
     * @throws BadInputException if the file cannot be read or is not a whole, undamaged
     *         checkpoint of version {@link #VERSION}, in one sentence naming the file and what
     *         is wrong: not a checkpoint, another version, truncated, a length or dimension
     *         that cannot be, a config that is not a JSON object, or a checksum mismatch
     */
    public static Checkpoint read(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new BadInputException("cannot read checkpoint " + file
                        + ": it is a folder");
            }
            long size = Files.size(file);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file),
                    CHUNK_BYTES)) {
                Checkpoint checkpoint = new Parser(file, in, size).parse();
                log.debug("read checkpoint {} of step {}: {} arrays, {} bytes", file,
                        checkpoint.step, checkpoint.tensors.size(), size);
                return checkpoint;
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read checkpoint " + file + ": "
                    + IoErrors.reason(e), e);
        }
    }

    /**
     * Reads one file front to back, keeping count of its position and its CRC-32, and refuses
     * any read that would go past {@code end} before it allocates room for it.
     */
    private static final class Parser {
        private final Path file;
        private final InputStream in;
        private final long size;
        private final CRC32 crc = new CRC32();
        private final byte[] chunk = new byte[CHUNK_BYTES];
        private final ByteBuffer scalar = ByteBuffer.wrap(chunk, 0, 8)
                .order(ByteOrder.LITTLE_ENDIAN);
        /** Bytes read so far. */
        private long position;
        /** Where the field being read must end by; the trailer's start after the version. */
        private long end;

        Parser(Path file, InputStream in, long size) {
            this.file = file;
            this.in = in;
            this.size = size;
            this.end = size;
        }

        Checkpoint parse() throws IOException {
            // Header: the magic, then the version, before the layout of the rest is known.
            checkMagic();
            int version = int32("the format version");
            if (version != VERSION) {
                throw fail(version > VERSION
                        ? "was written in format version " + version + ", but this build"
                                + " reads only version " + VERSION + "; use a newer build"
                        : "has format version " + version + ", not a version this build reads"
                                + " (version " + VERSION + ")");
            }
            end = size - TRAILER_BYTES;

            long step = int64("the step");
            if (step < 0) {
                throw fail("is corrupted: its step is " + step);
            }
            int configLength = length("the config length", 1);
            byte[] config = bytes(configLength);

            // The arrays, each checked against the bytes left before anything is allocated.
            int count = length("the array count", MIN_ARRAY_BYTES);
            List<Tensor> tensors = new ArrayList<>();
            Map<String, Tensor> names = new HashMap<>();
            for (int i = 0; i < count; i++) {
                Tensor t = tensor(i);
                if (names.put(t.name, t) != null) {
                    throw fail("is corrupted: two arrays are named \"" + t.name + "\"");
                }
                tensors.add(t);
            }
            if (position != end) {
                throw fail("is corrupted: " + (end - position)
                        + " bytes follow its last array");
            }

            // Trailer: the CRC-32 of every byte before it.
            long computed = crc.getValue();
            end = size;
            long stored = int32("the checksum") & 0xFFFF_FFFFL;
            if (stored != computed) {
                throw fail("is corrupted: checksum mismatch");
            }

            // The config last, so that a damaged file is reported as a checksum mismatch.
            String configJson;
            try {
                configJson = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(config))
                        .toString();
            } catch (CharacterCodingException e) {
                throw fail("has a config that is not valid UTF-8");
            }
            String problem = jsonObjectProblem(configJson);
            if (problem != null) {
                throw fail("has a config that " + problem);
            }
            return new Checkpoint(configJson, step, List.copyOf(tensors), file);
        }

        private void checkMagic() throws IOException {
            if (size == 0) {
                throw fail("is empty");
            }
            int n = (int) Math.min(MAGIC.length, size);
            read(chunk, n);
            if (!Arrays.equals(chunk, 0, n, MAGIC, 0, n)) {
                throw fail("is not a checkpoint: it does not start with \"RJEPACKP\"");
            }
            if (n < MAGIC.length) {
                throw fail("is truncated: it ends inside its first eight bytes");
            }
        }

        /** Array {@code index} (from 0) of the file, checked before its values are read. */
        private Tensor tensor(int index) throws IOException {
            String what = "array " + (index + 1);
            int nameLength = length("the name length of " + what, 1);
            if (nameLength == 0) {
                throw fail("is corrupted: " + what + " has an empty name");
            }
            String name;
            try {
                name = StandardCharsets.UTF_8.newDecoder()
                        .decode(ByteBuffer.wrap(bytes(nameLength))).toString();
            } catch (CharacterCodingException e) {
                throw fail("is corrupted: the name of " + what + " is not valid UTF-8");
            }
            what = "array \"" + name + "\"";

            int rank = length("the rank of " + what, Integer.BYTES);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = int32("the shape of " + what);
                if (shape[d] < 0) {
                    throw fail("is corrupted: " + what + " has a negative dimension "
                            + shape[d]);
                }
            }

            long count = valueCount(shape);
            if (count > (end - position) / Float.BYTES) {
                throw fail("is truncated or corrupted: " + what + " of shape "
                        + Arrays.toString(shape) + " needs " + byteCount(count)
                        + " bytes, but only " + (end - position) + " remain");
            }
            if (count > MAX_VALUES) {
                throw fail("has array \"" + name + "\" of " + count
                        + " values, more than one Java array holds");
            }
            float[] data = new float[(int) count];
            floats(data);
            return new Tensor(name, shape, data, false);
        }

        /**
         * An int32 count of items of at least {@code unitBytes} each, refused when negative
         * or when that many items cannot fit in the bytes left.
         */
        private int length(String field, int unitBytes) throws IOException {
            int n = int32(field);
            if (n < 0) {
                throw fail("is corrupted: " + field + " is " + n);
            }
            long need = (long) n * unitBytes;
            if (need > end - position) {
                throw fail("is truncated or corrupted: " + field + " is " + n
                        + ", which needs at least " + need + " bytes, but only "
                        + (end - position) + " remain");
            }
            return n;
        }

        private int int32(String what) throws IOException {
            fixed(4, what);
            return scalar.getInt(0);
        }

        private long int64(String what) throws IOException {
            fixed(8, what);
            return scalar.getLong(0);
        }

        /** Reads {@code n} <= 8 bytes into the start of {@code chunk}. */
        private void fixed(int n, String what) throws IOException {
            if (n > end - position) {
                throw fail("is truncated or corrupted: it ends inside " + what);
            }
            read(chunk, n);
        }

        /** {@code n} bytes, already checked to fit before {@code end}. */
        private byte[] bytes(int n) throws IOException {
            byte[] out = new byte[n];
            read(out, n);
            return out;
        }

        /** Fills {@code out} with little-endian float32 values, chunk by chunk. */
        private void floats(float[] out) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            int perChunk = CHUNK_BYTES / Float.BYTES;
            for (int start = 0; start < out.length; start += perChunk) {
                int n = Math.min(perChunk, out.length - start);
                read(chunk, n * Float.BYTES);
                bytes.clear();
                bytes.asFloatBuffer().get(out, start, n);
            }
        }

        /** Reads exactly {@code n} bytes into {@code out} and adds them to the CRC. */
        private void read(byte[] out, int n) throws IOException {
            int done = 0;
            while (done < n) {
                int got = in.read(out, done, n - done);
                if (got < 0) {
                    throw fail("is truncated: it got shorter while being read, at byte "
                            + (position + done));
                }
                done += got;
            }
            crc.update(out, 0, n);
            position += n;
        }

        private BadInputException fail(String problem) {
            return new BadInputException("checkpoint " + file + " " + problem);
        }
    }

    /** Writes little-endian fields to a stream, keeping count of the bytes and their CRC. */
    private static final class Sink {
        private final OutputStream out;
        private final CRC32 crc = new CRC32();
        private final byte[] chunk = new byte[CHUNK_BYTES];
        private final ByteBuffer scalar = ByteBuffer.wrap(chunk, 0, 8)
                .order(ByteOrder.LITTLE_ENDIAN);
        private long position;

        Sink(OutputStream out) {
            this.out = out;
        }

        void int32(int value) throws IOException {
            scalar.putInt(0, value);
            write(chunk, 4);
        }

        void int64(long value) throws IOException {
            scalar.putLong(0, value);
            write(chunk, 8);
        }

        void bytes(byte[] values) throws IOException {
            write(values, values.length);
        }

        void floats(float[] values) throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
            int perChunk = CHUNK_BYTES / Float.BYTES;
            for (int start = 0; start < values.length; start += perChunk) {
                int n = Math.min(perChunk, values.length - start);
                bytes.clear();
                bytes.asFloatBuffer().put(values, start, n);
                write(chunk, n * Float.BYTES);
            }
        }

        /** Appends the CRC-32 of everything written so far, as a uint32, and flushes. */
        void finish() throws IOException {
            int32((int) crc.getValue());
            out.flush();
        }

        private void write(byte[] values, int n) throws IOException {
            crc.update(values, 0, n);
            out.write(values, 0, n);
            position += n;
        }
    }

    /** The product of the dimensions (all at least 0), saturated at Long.MAX_VALUE. */
    private static long valueCount(int[] shape) {
        for (int dim : shape) {
            if (dim == 0) {
                return 0;
            }
        }
        long n = 1;
        for (int dim : shape) {
            if (n > Long.MAX_VALUE / dim) {
                return Long.MAX_VALUE;
            }
            n *= dim;
        }
        return n;
    }

    /** Bytes of {@code count} float32 values, for messages; saturated like the count. */
    private static String byteCount(long count) {
        return count > Long.MAX_VALUE / Float.BYTES ? "more than " + Long.MAX_VALUE
                : Long.toString(count * Float.BYTES);
    }

    /** Why {@code text} is not one JSON object, as the end of a sentence; null if it is. */
    private static String jsonObjectProblem(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return "is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
        if (node == null || !node.isObject()) {
            return "is not a JSON object";
        }
        return null;
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("an array name is empty");
        }
        encode(name, "array name \"" + name + "\"");
        return name;
    }

    /** Checks that {@code text} encodes to UTF-8 without replacement (no lone surrogates). */
    private static void encode(String text, String what) {
        try {
            StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode");
        }
    }
}
