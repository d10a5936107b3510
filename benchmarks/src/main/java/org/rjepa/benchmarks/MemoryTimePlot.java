package org.rjepa.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * {@code memory-time.png}: four log-log panels, learning state per sequence and time per
 * fixation per sequence, against n (sequences of the shortest T measured, plus the
 * one-fixation rows dashed) and against T (at the smallest n measured), one colour per rule.
 */
final class MemoryTimePlot {
    private static final int PANEL_WIDTH = 700;
    private static final int PANEL_HEIGHT = 480;
    private static final Stroke SOLID = new BasicStroke(2f);
    private static final Stroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f);

    private MemoryTimePlot() {
    }

    static void write(List<Report.Row> rows, Path png) throws IOException {
        int shortestT = rows.stream().filter(r -> r.kind().equals("sequences"))
                .mapToInt(Report.Row::T).min().orElse(0);
        int smallestN = rows.stream().filter(r -> r.kind().equals("sequences"))
                .mapToInt(Report.Row::n).min().orElse(0);
        Predicate<Report.Row> sequences = r -> r.kind().equals("sequences");
        Predicate<Report.Row> againstN = sequences.and(r -> r.T() == shortestT);
        Predicate<Report.Row> againstT = sequences.and(r -> r.n() == smallestN);
        Predicate<Report.Row> oneFixation = r -> r.kind().equals("one fixation");
        ToDoubleFunction<Report.Row> bytes = r -> r.stateBytes();
        ToDoubleFunction<Report.Row> seconds = r -> r.nsPerFixation() * 1e-9;

        JFreeChart[] panels = {
            panel("Learning state per sequence against n (T = " + shortestT + ")", "n",
                    2, "state per sequence", new SiFormat("B"), rows, Report.Row::n, bytes,
                    againstN, null),
            panel("Time per fixation per sequence against n (T = " + shortestT
                    + "; dashed: T = 2)", "n", 2, "time per fixation", new SiFormat("s"),
                    rows, Report.Row::n, seconds, againstN, oneFixation),
            panel("Learning state per sequence against T (n = " + smallestN + ")", "T", 10,
                    "state per sequence", new SiFormat("B"), rows, Report.Row::T, bytes,
                    againstT, null),
            panel("Time per fixation per sequence against T (n = " + smallestN + ")", "T",
                    10, "time per fixation", new SiFormat("s"), rows, Report.Row::T, seconds,
                    againstT, null),
        };

        BufferedImage image = new BufferedImage(2 * PANEL_WIDTH, 2 * PANEL_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        for (int i = 0; i < panels.length; i++) {
            panels[i].draw(g, new Rectangle2D.Double((i % 2) * PANEL_WIDTH,
                    (i / 2) * PANEL_HEIGHT, PANEL_WIDTH, PANEL_HEIGHT));
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    /**
     * One log-log panel: a solid line per rule over the rows that {@code solid} keeps, and a
     * dashed one over those that {@code dashed} keeps (when not null).
     */
    private static JFreeChart panel(String title, String xLabel, double xBase, String yLabel,
            NumberFormat yFormat, List<Report.Row> rows, ToDoubleFunction<Report.Row> x,
            ToDoubleFunction<Report.Row> y, Predicate<Report.Row> solid,
            Predicate<Report.Row> dashed) {
        XYSeriesCollection data = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (Predicate<Report.Row> keep : dashed == null ? List.of(solid)
                : List.of(solid, dashed)) {
            for (String algorithm : Report.ALGORITHMS) {
                XYSeries series = new XYSeries(algorithm.toUpperCase(Locale.ROOT)
                        + (keep == solid ? "" : ", T = 2"));
                for (Report.Row r : rows) {
                    if (r.algorithm().equals(algorithm) && keep.test(r)
                            && y.applyAsDouble(r) > 0) {
                        series.add(x.applyAsDouble(r), y.applyAsDouble(r));
                    }
                }
                if (series.getItemCount() == 0) {
                    continue;
                }
                int index = data.getSeriesCount();
                data.addSeries(series);
                renderer.setSeriesPaint(index, colour(algorithm));
                renderer.setSeriesStroke(index, keep == solid ? SOLID : DASHED);
            }
        }

        LogAxis xAxis = new LogAxis(xLabel);
        xAxis.setBase(xBase);
        xAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        xAxis.setNumberFormatOverride(NumberFormat.getIntegerInstance(Locale.ROOT));
        LogAxis yAxis = new LogAxis(yLabel);
        yAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        yAxis.setNumberFormatOverride(yFormat);

        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot,
                true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    private static Color colour(String algorithm) {
        switch (algorithm) {
            case "rfp":
                return new Color(0x1f77b4);
            case "rtrl":
                return new Color(0xd62728);
            default:
                return new Color(0x2ca02c);
        }
    }

    /** Axis labels with an SI prefix and a unit: 10 kB, 1 MB, 100 ns, 1 ms. */
    static final class SiFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;
        private static final String[] PREFIXES = {"p", "n", "µ", "m", "", "k", "M", "G", "T"};
        private final String unit;

        SiFormat(String unit) {
            this.unit = unit;
        }

        @Override
        public StringBuffer format(double v, StringBuffer out, FieldPosition position) {
            if (v <= 0 || !Double.isFinite(v)) {
                return out.append(v).append(' ').append(unit);
            }
            int power = (int) Math.floor(Math.log10(v) / 3 + 1e-9);
            power = Math.max(-4, Math.min(4, power));
            double scaled = v / Math.pow(1000, power);
            String digits = Math.abs(scaled - Math.rint(scaled)) < 1e-6
                    ? String.valueOf((long) Math.rint(scaled))
                    : String.format(Locale.ROOT, "%.3g", scaled);
            return out.append(digits).append(' ').append(PREFIXES[power + 4]).append(unit);
        }

        @Override
        public StringBuffer format(long v, StringBuffer out, FieldPosition position) {
            return format((double) v, out, position);
        }

        @Override
        public Number parse(String source, ParsePosition position) {
            throw new UnsupportedOperationException("axis labels are only written");
        }
    }
}
