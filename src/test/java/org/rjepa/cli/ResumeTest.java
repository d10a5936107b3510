package org.rjepa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rjepa.io.Checkpoint;

/**
 * Stop and resume: a run trained in two halves ends with the same bits as one trained in one
 * go; what a resume refuses; and the divergence guard, which keeps the last good checkpoint.
 */
class ResumeTest {
    /** A tiny run on the bundled images: a second or two per command on two cores. */
    static final String[] TINY = {
        "--batch", "4", "--hidden", "5", "--patch", "3", "--fixations", "3",
        "--eval-images", "16", "--report-every", "2", "--threads", "1", "--no-progress",
    };

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;

    static CliTest.Result train(Path out, String... flags) {
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        args.addAll(List.of(TINY));
        args.addAll(List.of(flags));
        return CliTest.cli(args.toArray(String[]::new));
    }

    static CliTest.Result resume(Path run, String... flags) {
        List<String> args = new ArrayList<>(List.of("train", "--resume", run.toString(),
                "--no-progress"));
        args.addAll(List.of(flags));
        return CliTest.cli(args.toArray(String[]::new));
    }

    /** Every array of two checkpoints, equal bit for bit (NaN payloads and -0 included). */
    static void assertSameBits(Path expected, Path actual) {
        Checkpoint a = Checkpoint.read(expected);
        Checkpoint b = Checkpoint.read(actual);
        assertEquals(a.step(), b.step());
        assertEquals(a.tensors().size(), b.tensors().size());
        for (Checkpoint.Tensor t : a.tensors()) {
            float[] x = t.data();
            float[] y = b.tensor(t.name()).data();
            assertEquals(x.length, y.length, t.name());
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
                    throw new AssertionError(t.name() + "[" + i + "]: " + x[i] + " uninterrupted, "
                            + y[i] + " resumed");
                }
            }
        }
    }

    @Test
    void stoppedAndResumedEqualsUninterruptedBitForBit() throws IOException {
        Path whole = folder.resolve("whole");
        Path halves = folder.resolve("halves");
        CliTest.Result r = train(whole, "--steps", "8");
        assertEquals(0, r.status(), r.describe());
        r = train(halves, "--steps", "4", "--checkpoint-every", "3");
        assertEquals(0, r.status(), r.describe());
        r = resume(halves, "--steps", "8", "--threads", "2");
        assertEquals(0, r.status(), r.describe());
        assertTrue(r.out().contains("resumed at step"), r.describe());

        assertSameBits(whole.resolve("checkpoint.bin"), halves.resolve("checkpoint.bin"));
        assertEquals(figures(whole), figures(halves));
    }

    /** The metric lines without the figures that measure time. */
    static List<Map<String, Object>> figures(Path run) throws IOException {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = JSON.readValue(line, Map.class);
            map.remove("wall_s");
            map.remove("fixations_per_s");
            lines.add(map);
        }
        return lines;
    }

    private static String withTop(Checkpoint c, String key, String value) {
        try {
            ObjectNode config = (ObjectNode) JSON.readTree(c.configJson());
            config.put(key, value);
            return config.toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void resumeRefusesChangedFlagsOtherVersionsNaNAndAFinishedRun() throws IOException {
        Path run = folder.resolve("run");
        assertEquals(0, train(run, "--steps", "2").status());
        Path file = run.resolve("checkpoint.bin");
        byte[] good = Files.readAllBytes(file);

        assertRefused(resume(run, "--lr", "0.1"), "--lr cannot be given with --resume");
        assertRefused(resume(run), "has reached step 2 of 2");
        assertRefused(resume(folder.resolve("none")), "is not a run folder");
        assertRefused(resume(folder), "has no checkpoint.bin");

        Checkpoint c = Checkpoint.read(file);
        new Checkpoint(withTop(c, "engine_version", "0.0.9"), c.step(), c.tensors()).write(file);
        assertRefused(resume(run, "--steps", "4"), "engine version 0.0.9");

        List<Checkpoint.Tensor> poisoned = new ArrayList<>();
        for (Checkpoint.Tensor t : c.tensors()) {
            float[] data = t.data().clone();
            if (t.name().equals("Wc")) {
                data[data.length / 2] = Float.NaN;
            }
            poisoned.add(new Checkpoint.Tensor(t.name(), t.shape(), data));
        }
        new Checkpoint(c.configJson(), c.step(), poisoned).write(file);
        assertRefused(resume(run, "--steps", "4"), "NaN in Wc");

        Files.write(file, good);
        assertEquals(0, resume(run, "--steps", "4").status());
    }

    @Test
    void divergenceStopsWithItsStepAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path run = folder.resolve("run");
        CliTest.Result r = train(run, "--steps", "40", "--checkpoint-every", "1", "--lr",
                "1e38");
        assertEquals(Main.EXIT_FAILED, r.status(), r.describe());
        String[] lines = r.err().strip().split("\\R");
        String sentence = lines[lines.length - 1];
        assertTrue(sentence.matches("rjepa: training diverged at step \\d+: .*--lr 1\\.0E38 is "
                + "likely too large.*last good checkpoint, of step \\d+, is kept in .*"),
                r.describe());
        long diverged = Long.parseLong(sentence.replaceAll(".*diverged at step (\\d+).*", "$1"));
        long kept = Long.parseLong(sentence.replaceAll(".*of step (\\d+), is kept.*", "$1"));
        assertEquals(diverged - 1, kept);

        Checkpoint c = Checkpoint.read(run.resolve("checkpoint.bin"));
        assertEquals(kept, c.step());
        for (Checkpoint.Tensor t : c.tensors()) {
            for (float v : t.data()) {
                assertTrue(Float.isFinite(v), t.name());
            }
        }
        assertFalse(Files.exists(run.resolve("summary.json")));
    }

    static void assertRefused(CliTest.Result r, String part) {
        assertEquals(Main.EXIT_BAD_INPUT, r.status(), r.describe());
        String[] lines = r.err().split("\\R", -1);
        assertEquals(2, lines.length, "one line:\n" + r.describe());
        assertTrue(lines[0].startsWith("rjepa: ") && lines[0].contains(part), r.describe());
        assertFalse(lines[0].contains("Exception"), r.describe());
    }
}
