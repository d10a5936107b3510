package org.rjepa.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-file writes and the clean-up of what a killed writer left behind. */
class AtomicFilesTest {
    @TempDir
    Path folder;

    @Test
    void aWriteLeavesTheFileAndNoTemporary() throws IOException {
        Path file = folder.resolve("summary.json");
        AtomicFiles.writeString(file, "old");
        AtomicFiles.writeString(file, "new");

        assertEquals("new", Files.readString(file));
        assertEquals(List.of("summary.json"), names());
    }

    @Test
    void leftoversOfTheNamedFilesGoAndNothingElse() throws IOException {
        AtomicFiles.writeString(folder.resolve("checkpoint.bin"), "good");
        Path half = AtomicFiles.createTemporary(folder, "checkpoint.bin");
        Files.writeString(half, "half");
        Path other = AtomicFiles.createTemporary(folder, "notes.txt");
        Files.writeString(folder.resolve("checkpoint.bin.txt"), "kept");

        int removed = AtomicFiles.removeLeftovers(folder, "checkpoint.bin", "metrics.jsonl");

        assertEquals(1, removed);
        assertFalse(Files.exists(half));
        assertTrue(Files.exists(other));
        assertEquals("good", Files.readString(folder.resolve("checkpoint.bin")));
        assertEquals(List.of("checkpoint.bin", "checkpoint.bin.txt",
                other.getFileName().toString()), names());
    }

    @Test
    void anEarlierResultIsMovedAsideNotReplaced() throws IOException {
        Path probe = folder.resolve("probe.json");
        assertEquals(null, AtomicFiles.keepEarlier(probe));
        Files.writeString(probe, "first");
        assertEquals(folder.resolve("probe-1.json"), AtomicFiles.keepEarlier(probe));
        Files.writeString(probe, "second");
        assertEquals(folder.resolve("probe-2.json"), AtomicFiles.keepEarlier(probe));

        assertEquals("first", Files.readString(folder.resolve("probe-1.json")));
        assertEquals("second", Files.readString(folder.resolve("probe-2.json")));
        assertFalse(Files.exists(probe));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
