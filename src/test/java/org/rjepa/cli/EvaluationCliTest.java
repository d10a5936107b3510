package org.rjepa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation commands as a user meets them: a tiny run that writes its report headless,
 * the probe on its checkpoint, the collapse experiment, and scanpath files refused in one
 * sentence with status 2.
 */
class EvaluationCliTest {
    private static final String[] TINY = {
        "--steps", "3", "--batch", "4", "--hidden", "5", "--patch", "3", "--fixations", "3",
        "--eval-images", "16", "--report-every", "2", "--threads", "1", "--no-progress",
    };

    @TempDir
    static Path shared;

    private static Path run;

    @TempDir
    Path folder;

    record Result(int status, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    static String[] tiny(String... more) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(List.of(TINY));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    @BeforeAll
    static void trainTheTinyRun() {
        run = shared.resolve("tiny");
        Result r = cli(tiny("--out", run.toString()));
        assertEquals(0, r.status(), r.out() + r.err());
    }

    @Test
    void theReportRendersHeadlessAndEveryFileItNamesExists() throws IOException {
        assertTrue(java.awt.GraphicsEnvironment.isHeadless());
        Path page = run.resolve("report.html");
        assertTrue(Files.isRegularFile(page), "train writes the report");
        Result again = cli("report", run.toString());
        assertEquals(0, again.status(), again.err());
        String html = Files.readString(page);
        Matcher links = Pattern.compile("href=\"([^\"]+)\"").matcher(html);
        int named = 0;
        while (links.find()) {
            String name = links.group(1);
            if (name.endsWith(".json") && !Files.exists(run.resolve(name))) {
                continue;
            }
            named++;
            assertTrue(Files.isRegularFile(run.resolve(name)), name + " is named but missing");
            if (name.endsWith(".png")) {
                assertTrue(ImageIO.read(run.resolve(name).toFile()).getWidth() > 100, name);
            }
        }
        assertTrue(named >= 4, "only " + named + " files named");
        assertTrue(html.contains("data:image/png;base64,"), "pictures are inlined");
        assertFalse(html.contains("src=\"loss.png\""), "the page stands alone");
    }

    @Test
    void aGradcheckFileInTheRunFolderBecomesATable() throws IOException {
        Path copy = folder.resolve("run");
        Files.createDirectories(copy);
        for (String name : new String[] {"metrics.jsonl", "checkpoint.bin"}) {
            Files.copy(run.resolve(name), copy.resolve(name));
        }
        Result check = cli("gradcheck", "--cases", "1", "--out",
                copy.resolve("gradcheck.json").toString());
        assertEquals(0, check.status(), check.err());
        assertEquals(0, cli("report", copy.toString()).status());
        String html = Files.readString(copy.resolve("report.html"));
        assertTrue(html.contains("Gradient agreement") && html.contains("<td class=\"l\">Wa"),
                "gradient table");
    }

    @Test
    void theProbeWritesItsFigures() throws IOException {
        Path json = folder.resolve("probe.json");
        Result r = cli("evaluate", "--checkpoint", run.resolve("checkpoint.bin").toString(),
                "--probe", "--probe-images", "400", "--out", json.toString(), "--threads", "1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("raw pixels"), r.out());
        JsonNode probe = new ObjectMapper().readTree(json.toFile());
        for (String key : new String[] {"trained", "untrained", "raw_pixels"}) {
            double accuracy = probe.path(key).asDouble(-1);
            assertTrue(accuracy >= 0 && accuracy <= 1, key + " " + accuracy);
        }
        assertEquals(400, probe.path("train_images").asInt());
        assertEquals(100, probe.path("test_images").asInt());
        assertEquals(400, probe.path("fit_images").asInt()
                + probe.path("validation_images").asInt());
    }

    @Test
    void theCollapseExperimentWritesItsTablePlotAndCurves() throws IOException {
        Path out = folder.resolve("collapse");
        Result r = cli("experiment", "collapse", "--steps", "2", "--report-every", "1",
                "--eval-images", "8", "--out", out.toString(), "--train",
                "--batch 4 --hidden 5 --patch 3 --fixations 3 --threads 1");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("vicreg") && r.out().contains("std_z_min"), r.out());
        assertTrue(ImageIO.read(out.resolve("collapse.png").toFile()).getWidth() > 100);
        List<String> csv = Files.readAllLines(out.resolve("curves.csv"));
        // a header, then steps 0, 1, 2 of each of the three guards
        assertEquals(1 + 3 * 3, csv.size(), String.join("\n", csv));
        assertTrue(Files.size(out.resolve("curves.json")) > 0);
    }

    @Test
    void scanpathFilesAreRefusedInOneSentence() throws IOException {
        Path outside = folder.resolve("outside.csv");
        Files.writeString(outside, "image,order,x,y\n0,1,28.5,3\n");
        Path unknown = folder.resolve("unknown.csv");
        Files.writeString(unknown, "10000,1,3,3\n");
        Path malformed = folder.resolve("malformed.csv");
        Files.writeString(malformed, "0,1,3,3\n0;2;4;4\n");
        String[][] cases = {
            {outside.toString(), "outside the 28x28 image"},
            {unknown.toString(), "names image 10000"},
            {malformed.toString(), "line 2"},
            {folder.resolve("absent.csv").toString(), "cannot read the scanpath file"},
        };
        for (String[] c : cases) {
            Path out = folder.resolve("never");
            Result r = cli(tiny("--policy", "scanpath:" + c[0], "--out", out.toString()));
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().startsWith("rjepa: ") && r.err().contains(c[1]), r.err());
            assertEquals(1, r.err().strip().split("\n").length, "one sentence: " + r.err());
            assertFalse(Files.exists(out), "nothing written");
        }
    }
}
