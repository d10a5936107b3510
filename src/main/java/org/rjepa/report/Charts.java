package org.rjepa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Line charts (JFreeChart) and the tiling of several pictures into one, all drawn off
 * screen: callers run with {@code java.awt.headless=true}, which {@link #headless} sets.
 */
public final class Charts {
    /** Width and height of one chart panel, pixels. */
    public static final int PANEL_WIDTH = 560;
    public static final int PANEL_HEIGHT = 360;

    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728),
        new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e), new Color(0x17becf)};

    private Charts() {
    }

    /** Makes AWT draw without a display; call before the first picture. */
    public static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A named curve: x and y values of equal length; non-finite y values are left out. */
    public record Curve(String name, double[] x, double[] y) {
    }

    /**
     * A line chart of several curves.
     *
     * @param logY a logarithmic y axis, where the values span more than a decade (values
     *             <= 0 are left out); the axis label then says "(log scale)"
     */
    public static BufferedImage lines(String title, String xLabel, String yLabel,
            List<Curve> curves, boolean logY) {
        headless();
        XYSeriesCollection data = new XYSeriesCollection();
        for (Curve c : curves) {
            XYSeries series = new XYSeries(c.name(), false, true);
            for (int i = 0; i < c.x().length; i++) {
                double y = c.y()[i];
                if (Double.isFinite(y) && (!logY || y > 0)) {
                    series.add(c.x()[i], y);
                }
            }
            data.addSeries(series);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        // a log scale only where the values span a decade: within one it would show no label
        double lo = data.getSeriesCount() == 0 ? Double.NaN : rangeBound(data, true);
        double hi = data.getSeriesCount() == 0 ? Double.NaN : rangeBound(data, false);
        if (logY && hi > 10 * lo) {
            LogarithmicAxis axis = new LogarithmicAxis(yLabel + " (log scale)");
            axis.setAllowNegativesFlag(false);
            axis.setLabelFont(plot.getDomainAxis().getLabelFont());
            plot.setRangeAxis(axis);
        } else {
            NumberAxis axis = (NumberAxis) plot.getRangeAxis();
            axis.setAutoRangeIncludesZero(false);
            // a flat or single-point curve keeps a readable range instead of one value
            // repeated down the axis
            axis.setAutoRangeMinimumSize(Math.max(1e-6, 0.2 * Math.max(Math.abs(lo),
                    Math.abs(hi))));
        }
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeMinimumSize(1);
        boolean sparse = false;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            sparse |= data.getItemCount(i) < 2;
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, sparse);
        for (int i = 0; i < curves.size(); i++) {
            renderer.setSeriesPaint(i, COLOURS[i % COLOURS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(curves.get(i).name().contains("pers")
                    ? 1.5f : 2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                    curves.get(i).name().contains("pers") ? new float[] {6f, 4f} : null, 0f));
        }
        plot.setRenderer(renderer);
        return chart.createBufferedImage(PANEL_WIDTH, PANEL_HEIGHT);
    }

    /** The smallest ({@code low}) or largest finite y of all series; NaN when there is none. */
    private static double rangeBound(XYSeriesCollection data, boolean low) {
        double bound = Double.NaN;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            for (int j = 0; j < data.getItemCount(i); j++) {
                double y = data.getYValue(i, j);
                if (Double.isNaN(bound) || (low ? y < bound : y > bound)) {
                    bound = y;
                }
            }
        }
        return bound;
    }

    /** Pictures tiled row by row, {@code columns} to a row, on white. */
    public static BufferedImage tile(List<BufferedImage> pictures, int columns) {
        headless();
        int rows = (pictures.size() + columns - 1) / columns;
        int w = 0;
        int h = 0;
        for (BufferedImage p : pictures) {
            w = Math.max(w, p.getWidth());
            h = Math.max(h, p.getHeight());
        }
        BufferedImage out = new BufferedImage(Math.max(1, w * Math.min(columns,
                pictures.size())), Math.max(1, h * rows), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < pictures.size(); i++) {
            g.drawImage(pictures.get(i), (i % columns) * w, (i / columns) * h, null);
        }
        g.dispose();
        return out;
    }

    /** A white canvas with antialiasing on, and a title line at the top. */
    static Graphics2D canvas(BufferedImage image, String title) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
                RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, 10, 20);
        return g;
    }

    /** The picture as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(image, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Curves of one key of several runs' reports, keyed by run name. */
    public static List<Curve> curves(Map<String, List<Map<String, Double>>> runs, String key) {
        List<Curve> out = new java.util.ArrayList<>();
        for (Map.Entry<String, List<Map<String, Double>>> run : runs.entrySet()) {
            List<Map<String, Double>> rows = run.getValue();
            double[] x = new double[rows.size()];
            double[] y = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                x[i] = rows.get(i).getOrDefault("step", Double.NaN);
                y[i] = rows.get(i).getOrDefault(key, Double.NaN);
            }
            out.add(new Curve(run.getKey(), x, y));
        }
        return out;
    }
}
