package org.rjepa.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rjepa.data.ImageSet;
import org.rjepa.fixation.FixationPolicy;
import org.rjepa.fixation.Policies;
import org.rjepa.io.AtomicFiles;
import org.rjepa.io.BadInputException;
import org.rjepa.io.IoErrors;
import org.rjepa.learning.TrainConfig;
import org.rjepa.learning.TrainingCheckpoint;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;

/**
 * The pictures of a run folder and one self-contained HTML page that shows them (images
 * inlined as base64, so the page can be mailed alone): the training loss and held-out R^2
 * beside persistence over steps, the effective ranks and the smallest spread of the targets
 * over steps, the drive weights' patch part as receptive fields, each policy's fixations over
 * a few held-out images, the probe's figures when {@code probe.json} is there and the
 * gradient-agreement table when {@code gradcheck.json} is there (written by
 * {@code rjepa gradcheck --out RUN/gradcheck.json}).
 */
public final class RunReport {
    /** The page's file name in the run folder. */
    public static final String PAGE = "report.html";
    /** Images of the data set drawn in the scanpath picture. */
    public static final int SCANPATH_IMAGES = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RunReport() {
    }

    /**
     * Writes the PNGs and the page into {@code runDir}.
     *
     * @param heldOut the run's held-out images (for the scanpaths), or null to leave them out
     * @return the files written, the page last
     */
    public static List<Path> write(Path runDir, ImageSet heldOut) {
        Charts.headless();
        List<Map<String, Double>> rows = metrics(runDir.resolve("metrics.jsonl"));
        TrainingCheckpoint.Loaded loaded = TrainingCheckpoint.read(runDir.resolve(
                "checkpoint.bin"));
        TrainConfig config = loaded.config();
        Dimensions d = loaded.dims();
        Map<String, BufferedImage> pictures = new LinkedHashMap<>();

        Map<String, List<Map<String, Double>>> run = Map.of("run", rows);
        List<Charts.Curve> r2 = new ArrayList<>();
        r2.add(named("R^2 (prediction)", Charts.curves(run, "r2").get(0)));
        r2.add(named("R^2 (persistence)", Charts.curves(run, "r2_persistence").get(0)));
        pictures.put("loss.png", Charts.tile(List.of(
                Charts.lines("Training loss", "step", "loss", List.of(named("loss",
                        Charts.curves(run, "loss").get(0))), false),
                Charts.lines("Held-out R^2", "step", "R^2", r2, false)), 2));
        List<Charts.Curve> ranks = new ArrayList<>();
        ranks.add(named("erank z", Charts.curves(run, "erank_z").get(0)));
        ranks.add(named("erank h", Charts.curves(run, "erank_h").get(0)));
        List<Charts.Curve> spread = new ArrayList<>();
        spread.add(named("std z mean", Charts.curves(run, "std_z_mean").get(0)));
        spread.add(named("std z min", Charts.curves(run, "std_z_min").get(0)));
        pictures.put("collapse.png", Charts.tile(List.of(
                Charts.lines("Effective rank (RankMe)", "step", "effective rank", ranks, false),
                Charts.lines("Spread of the targets z", "step", "standard deviation", spread,
                        true)), 2));
        int channels = d.mx() / (config.patch() * config.patch());
        pictures.put("receptive-fields.png", Pictures.receptiveFields(
                loaded.params().get(Block.Wc), d.n(), d.m(), config.patch(), channels, 64,
                "Drive weights W_c, patch part, first " + Math.min(64, d.n()) + " units"));
        if (heldOut != null && heldOut.count() > 0) {
            pictures.put("scanpaths.png", Pictures.scanpaths(heldOut,
                    firstImages(heldOut.count()), policies(config), config.fixations(),
                    config.patch(), 1));
        }

        List<Path> written = new ArrayList<>();
        Map<String, String> inlined = new LinkedHashMap<>();
        for (Map.Entry<String, BufferedImage> p : pictures.entrySet()) {
            byte[] png = Charts.png(p.getValue());
            Path file = runDir.resolve(p.getKey());
            AtomicFiles.write(file, png);
            written.add(file);
            inlined.put(p.getKey(), Base64.getEncoder().encodeToString(png));
        }
        Path page = runDir.resolve(PAGE);
        AtomicFiles.writeString(page, html(runDir, config, loaded.step(), rows, inlined));
        written.add(page);
        return written;
    }

    private static int[] firstImages(int count) {
        int shown = Math.min(SCANPATH_IMAGES, count);
        int[] which = new int[shown];
        for (int i = 0; i < shown; i++) {
            which[i] = i;
        }
        return which;
    }

    /** The built-in policies, and the run's own when it is none of them. */
    private static List<FixationPolicy> policies(TrainConfig config) {
        List<FixationPolicy> out = new ArrayList<>();
        for (String name : new String[] {"uniform", "random-walk", "saliency", "raster"}) {
            out.add(Policies.byName(name, config.saccade()));
        }
        if (config.policy().startsWith("scanpath:")) {
            out.add(Policies.byName(config.policy(), config.saccade()));
        }
        return out;
    }

    private static Charts.Curve named(String name, Charts.Curve c) {
        return new Charts.Curve(name, c.x(), c.y());
    }

    /** The numeric fields of each line of metrics.jsonl (nulls become NaN). */
    static List<Map<String, Double>> metrics(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + " (" + e.getMessage()
                    + "); is this a run folder of rjepa train?");
        }
        List<Map<String, Double>> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new BadInputException(file + " has a line that is not JSON.");
            }
            Map<String, Double> row = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                row.put(f.getKey(), f.getValue().isNumber() ? f.getValue().asDouble()
                        : Double.NaN);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new BadInputException(file + " holds no reports.");
        }
        return rows;
    }

    private static String html(Path runDir, TrainConfig config, long step,
            List<Map<String, Double>> rows, Map<String, String> inlined) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>rjepa run ").append(escape(runDir.getFileName() == null ? ""
                        : runDir.getFileName().toString())).append("</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:1180px;margin:2em auto;"
                        + "color:#222}table{border-collapse:collapse;margin:1em 0}"
                        + "td,th{border:1px solid #ccc;padding:3px 9px;text-align:right}"
                        + "th{background:#f3f3f3}td.l,th.l{text-align:left}"
                        + "img{max-width:100%;border:1px solid #eee}</style></head><body>\n");
        h.append("<h1>rjepa run ").append(escape(String.valueOf(runDir.getFileName())))
                .append("</h1>\n<p>").append(step).append(" batches of ").append(config.batch())
                .append(" sequences; n = ").append(config.hidden()).append(", k = ")
                .append(config.patch()).append(", T = ").append(config.fixations())
                .append(", policy ").append(escape(config.policy())).append(", guard ")
                .append(escape(config.guard())).append(", rule ").append(escape(
                        config.algorithm())).append(".</p>\n");

        Map<String, Double> last = rows.get(rows.size() - 1);
        Map<String, Double> first = rows.get(0);
        h.append("<h2>Held-out figures</h2>\n<table><tr><th class=\"l\">figure</th>"
                + "<th>step ").append(first.get("step").longValue()).append("</th><th>step ")
                .append(last.get("step").longValue()).append("</th></tr>\n");
        for (String key : new String[] {"r2", "r2_persistence", "erank_z", "erank_h",
            "std_z_mean", "std_z_min", "cos_z"}) {
            h.append("<tr><td class=\"l\">").append(key).append("</td><td>")
                    .append(number(first.get(key))).append("</td><td>")
                    .append(number(last.get(key))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        section(h, "Loss and prediction", "loss.png", inlined, "Training loss per report "
                + "interval; held-out R^2 of the prediction against persistence (the next "
                + "embedding predicted to equal the current one).");
        section(h, "Collapse", "collapse.png", inlined, "Effective rank of the target "
                + "embeddings z and the states h, and the mean and smallest per-dimension "
                + "standard deviation of z (log scale): the rank is blind to scale, the "
                + "spread is not.");
        section(h, "Receptive fields", "receptive-fields.png", inlined, "The patch part of "
                + "each unit's drive weights, scaled to its own largest weight (grey 0, white "
                + "positive, black negative).");
        section(h, "Where the eye looks", "scanpaths.png", inlined, "Fixations of each policy "
                + "on the first held-out images.");
        appendProbe(h, runDir.resolve("probe.json"));
        appendGradcheck(h, runDir.resolve("gradcheck.json"));
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void section(StringBuilder h, String title, String file,
            Map<String, String> inlined, String caption) {
        if (!inlined.containsKey(file)) {
            return;
        }
        h.append("<h2>").append(title).append("</h2>\n<p>").append(escape(caption))
                .append(" (<a href=\"").append(file).append("\">").append(file)
                .append("</a>)</p>\n<img alt=\"").append(escape(title))
                .append("\" src=\"data:image/png;base64,").append(inlined.get(file))
                .append("\">\n");
    }

    private static void appendProbe(StringBuilder h, Path file) {
        JsonNode probe = readOptional(file);
        if (probe == null) {
            return;
        }
        h.append("<h2>Linear probe</h2>\n<p>Test accuracy of a multinomial logistic probe on "
                + "frozen features (<a href=\"probe.json\">probe.json</a>).</p>\n<table><tr>"
                + "<th class=\"l\">features</th><th>test accuracy</th></tr>\n");
        for (String key : new String[] {"trained", "untrained", "raw_pixels"}) {
            h.append("<tr><td class=\"l\">").append(key).append("</td><td>")
                    .append(number(probe.path(key).asDouble(Double.NaN))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void appendGradcheck(StringBuilder h, Path file) {
        JsonNode check = readOptional(file);
        if (check == null) {
            return;
        }
        h.append("<h2>Gradient agreement</h2>\n<p>From <a href=\"gradcheck.json\">"
                + "gradcheck.json</a>: the largest error of each block over every case, "
                + "relative to the block's largest entry; ").append(check.path("passed")
                        .asBoolean() ? "passed" : "FAILED").append(".</p>\n<table><tr>"
                + "<th class=\"l\">block</th><th>RFP - BPTT</th><th>RTRL - BPTT</th>"
                + "<th>BPTT - finite differences</th></tr>\n");
        Map<String, double[]> worst = new LinkedHashMap<>();
        for (JsonNode c : check.path("cases")) {
            Iterator<Map.Entry<String, JsonNode>> blocks = c.path("blocks").fields();
            while (blocks.hasNext()) {
                Map.Entry<String, JsonNode> b = blocks.next();
                double[] w = worst.computeIfAbsent(b.getKey(), k -> new double[3]);
                w[0] = Math.max(w[0], b.getValue().path("rfp_vs_bptt").asDouble());
                w[1] = Math.max(w[1], b.getValue().path("rtrl_vs_bptt").asDouble());
                w[2] = Math.max(w[2], b.getValue().path("bptt_vs_fd").asDouble());
            }
        }
        for (Map.Entry<String, double[]> row : worst.entrySet()) {
            h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%.2e</td>"
                    + "<td>%.2e</td><td>%.2e</td></tr>%n", escape(row.getKey()),
                    row.getValue()[0], row.getValue()[1], row.getValue()[2]));
        }
        h.append("</table>\n");
    }

    private static JsonNode readOptional(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new BadInputException(file + " is not valid JSON (" + IoErrors.reason(e) + ").");
        }
    }

    private static String number(Double v) {
        return v == null || !Double.isFinite(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
