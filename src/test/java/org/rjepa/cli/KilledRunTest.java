package org.rjepa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rjepa.io.Checkpoint;
import org.rjepa.learning.TrainingCheckpoint;

/**
 * A training in a child JVM killed (SIGKILL, no shutdown hooks) at several moments, some of
 * them while a checkpoint is half written (the test hook
 * {@link Checkpoint#SLOW_WRITE_PROPERTY} pauses each write midway): after each kill the run
 * folder holds a readable checkpoint, and resuming to the end gives the bits of a run that
 * was never killed.
 */
class KilledRunTest {
    private static final int STEPS = 24;

    @TempDir
    Path folder;

    @Test
    void aRunKilledAnywhereResumesToTheSameBits() throws Exception {
        Path whole = folder.resolve("whole");
        assertEquals(0, ResumeTest.train(whole, "--steps", String.valueOf(STEPS)).status());

        Path run = folder.resolve("run");
        Random random = new Random(7);
        List<String> start = List.of("train", "--out", run.toString(), "--steps",
                String.valueOf(STEPS), "--checkpoint-every", "2");
        Process child = startChild(start);
        waitFor(() -> Files.exists(run.resolve("checkpoint.bin")) && writing(run), child);
        kill(child);
        assertReadable(run);

        // three more kills: one mid-write, two at random moments
        for (int round = 0; round < 3; round++) {
            child = startChild(List.of("train", "--resume", run.toString(),
                    "--checkpoint-every", "2"));
            if (round == 0) {
                waitFor(() -> writing(run), child);
            } else {
                child.waitFor(200 + random.nextInt(1200), TimeUnit.MILLISECONDS);
            }
            kill(child);
            assertReadable(run);
            if (TrainingCheckpoint.read(run.resolve("checkpoint.bin")).step() == STEPS) {
                break;
            }
        }

        long reached = TrainingCheckpoint.read(run.resolve("checkpoint.bin")).step();
        if (reached < STEPS) {
            CliTest.Result r = ResumeTest.resume(run);
            assertEquals(0, r.status(), r.describe());
            assertTrue(!writing(run), "a resume removes the temporary files of the kills");
        }
        ResumeTest.assertSameBits(whole.resolve("checkpoint.bin"), run.resolve("checkpoint.bin"));
        assertEquals(ResumeTest.figures(whole), ResumeTest.figures(run));
    }

    private static Process startChild(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-D" + Checkpoint.SLOW_WRITE_PROPERTY + "=150");
        command.add("-Xmx256m");
        command.add(Main.class.getName());
        command.addAll(args);
        command.addAll(List.of(ResumeTest.TINY));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Whether a checkpoint is being written: its temporary file is there. */
    private static boolean writing(Path run) {
        try (Stream<Path> files = Files.list(run)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("checkpoint.bin.tmp"));
        } catch (IOException e) {
            return false;
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Process child)
            throws InterruptedException {
        for (int i = 0; i < 4000 && child.isAlive(); i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(5);
        }
    }

    private static void kill(Process child) throws InterruptedException {
        child.destroyForcibly();
        assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the child did not end");
    }

    private static void assertReadable(Path run) {
        Path file = run.resolve("checkpoint.bin");
        assertTrue(Files.isRegularFile(file), "no checkpoint after the kill");
        TrainingCheckpoint.Loaded loaded = TrainingCheckpoint.read(file);
        assertTrue(loaded.step() >= 2 && loaded.step() <= STEPS, "step " + loaded.step());
    }
}
