package org.rjepa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rjepa.io.BadInputException;
import org.rjepa.io.RunLock;

/** Run folders: one writer each, and default names that never collide. */
class RunFolderTest {
    @TempDir
    Path folder;

    @Test
    void aDefaultNameTakenInTheSameSecondGetsTheNextSuffix() {
        Path wanted = folder.resolve("runs").resolve("20261204-120000");

        Path first = TrainCommand.claimRunFolder(wanted, true);
        Path second = TrainCommand.claimRunFolder(wanted, true);
        Path third = TrainCommand.claimRunFolder(wanted, true);

        assertEquals(wanted, first);
        assertEquals(folder.resolve("runs").resolve("20261204-120000-2"), second);
        assertEquals(folder.resolve("runs").resolve("20261204-120000-3"), third);
        assertTrue(Files.isDirectory(third));
    }

    @Test
    void aFolderBeingWrittenIsRefusedToASecondWriter() {
        try (RunLock held = RunLock.acquire(folder)) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> RunLock.acquire(folder));
            assertTrue(e.getMessage().contains("another rjepa process is writing to"),
                    e.getMessage());
        }
        RunLock.acquire(folder).close();
    }

    @Test
    void aResumeOfARunBeingTrainedIsRefusedBeforeItWritesAnything() throws IOException {
        Path run = folder.resolve("run");
        CliTest.Result first = ResumeTest.train(run, "--steps", "4", "--checkpoint-every", "2");
        assertEquals(0, first.status(), first.describe());
        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        // the writer's checkpoint in flight, which a refused resume must leave alone
        Path inFlight = Files.writeString(run.resolve("checkpoint.bin.tmp-deadbeef"), "half");

        StringWriter err = new StringWriter();
        int status;
        try (RunLock held = RunLock.acquire(run)) {
            status = Main.run(new String[] {"train", "--resume", run.toString(), "--steps",
                "6", "--no-progress"}, new PrintWriter(new StringWriter()),
                    new PrintWriter(err));
        }

        assertEquals(Main.EXIT_BAD_INPUT, status, err.toString());
        assertTrue(err.toString().contains("another rjepa process is writing to"),
                err.toString());
        assertEquals(metrics, Files.readString(run.resolve("metrics.jsonl")));
        assertTrue(Files.exists(inFlight), "a refused resume removed another's temporary file");
    }

    @Test
    void aRunOnAScanpathOfSomeImagesEvaluatesAndReportsOnTheSameImages() throws IOException {
        Path eyes = folder.resolve("eyes.csv");
        StringBuilder csv = new StringBuilder("image,order,x,y\n");
        for (int image = 100; image < 140; image++) {
            for (int t = 0; t < 3; t++) {
                csv.append(image).append(',').append(t).append(',').append(4 + 7 * t)
                        .append(',').append(20 - 5 * t).append('\n');
            }
        }
        Files.writeString(eyes, csv.toString());
        Path run = folder.resolve("run");
        CliTest.Result trained = ResumeTest.train(run, "--steps", "2", "--policy",
                "scanpath:" + eyes);
        assertEquals(0, trained.status(), trained.describe());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int evaluated = Main.run(new String[] {"evaluate", "--checkpoint",
            run.resolve("checkpoint.bin").toString(), "--json"}, new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(0, evaluated, err.toString());
        assertTrue(out.toString().contains("\"held_out_images\":8"), out.toString());
        int reported = Main.run(new String[] {"report", run.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, reported, err.toString());
    }
}
