package org.rjepa.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.rjepa.data.ImageSet;
import org.rjepa.fixation.FixationPolicy;

/** Pictures of a network and of where it looks, drawn with plain AWT, off screen. */
public final class Pictures {
    private static final int TITLE = 30;

    private Pictures() {
    }

    /**
     * The patch part of the drive weights W_c as a grid of k x k images, one per unit (the
     * first {@code units}), each scaled to its own largest |weight|: mid grey is 0, white
     * positive, black negative. Channels are averaged.
     *
     * @param Wc n x m, row-major, read; its first k*k*C columns are the patch's
     */
    public static BufferedImage receptiveFields(float[] Wc, int n, int m, int k, int channels,
            int units, String title) {
        Charts.headless();
        int shown = Math.min(units, n);
        int columns = (int) Math.ceil(Math.sqrt(shown));
        int rows = (shown + columns - 1) / columns;
        int cell = Math.max(4, 64 / k);
        int gap = 4;
        int side = k * cell + gap;
        BufferedImage image = new BufferedImage(Math.max(360, columns * side + gap),
                TITLE + rows * side + gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Charts.canvas(image, title);
        for (int unit = 0; unit < shown; unit++) {
            double largest = 1e-12;
            for (int j = 0; j < k * k * channels; j++) {
                largest = Math.max(largest, Math.abs(Wc[unit * m + j]));
            }
            int x0 = gap + (unit % columns) * side;
            int y0 = TITLE + gap + (unit / columns) * side;
            for (int r = 0; r < k; r++) {
                for (int q = 0; q < k; q++) {
                    double v = 0;
                    for (int c = 0; c < channels; c++) {
                        v += Wc[unit * m + (r * k + q) * channels + c] / channels;
                    }
                    int grey = (int) Math.round(127.5 + 127.5 * v / largest);
                    grey = Math.max(0, Math.min(255, grey));
                    g.setColor(new Color(grey, grey, grey));
                    g.fillRect(x0 + q * cell, y0 + r * cell, cell, cell);
                }
            }
        }
        g.dispose();
        return image;
    }

    /**
     * Each policy's fixations over a few images: one row per policy, one column per image,
     * the path drawn from a green first fixation to a red last one.
     *
     * @param seed the random stream of image {@code i}'s sequence is seeded by seed + i
     */
    public static BufferedImage scanpaths(ImageSet images, int[] which,
            List<FixationPolicy> policies, int T, int k, long seed) {
        Charts.headless();
        int scale = Math.max(2, 168 / Math.max(images.height(), images.width()));
        int w = images.width() * scale;
        int h = images.height() * scale;
        int gap = 8;
        int label = 110;
        // wide enough for the title even over one or two images
        BufferedImage image = new BufferedImage(Math.max(440, label + which.length * (w + gap)
                + gap), TITLE + policies.size() * (h + gap) + gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Charts.canvas(image, "Fixations of each policy (T = " + T
                + ", green first, red last, box = patch)");
        double[] x = new double[T];
        double[] y = new double[T];
        for (int p = 0; p < policies.size(); p++) {
            FixationPolicy policy = policies.get(p);
            int top = TITLE + gap + p * (h + gap);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            drawLabel(g, policy.name(), 6, top + h / 2, label - 10);
            for (int col = 0; col < which.length; col++) {
                int left = label + gap + col * (w + gap);
                drawImage(g, images, which[col], left, top, scale);
                policy.centres(images, which[col], new SplittableRandom(seed + which[col]), x,
                        y);
                drawPath(g, x, y, left, top, scale, k);
            }
        }
        g.dispose();
        return image;
    }

    private static void drawImage(Graphics2D g, ImageSet images, int i, int left, int top,
            int scale) {
        // one stretch for all channels, so that colour images keep their hues
        int C = images.channels();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < images.height(); y++) {
            for (int x = 0; x < images.width(); x++) {
                for (int c = 0; c < C; c++) {
                    double v = images.pixel(i, y, x, c);
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double range = hi > lo ? hi - lo : 1;
        int[] rgb = new int[3];
        for (int y = 0; y < images.height(); y++) {
            for (int x = 0; x < images.width(); x++) {
                for (int c = 0; c < 3; c++) {
                    double v = images.pixel(i, y, x, C >= 3 ? c : 0);
                    rgb[c] = (int) Math.round(40 + 200 * (v - lo) / range);
                }
                g.setColor(new Color(rgb[0], rgb[1], rgb[2]));
                g.fillRect(left + x * scale, top + y * scale, scale, scale);
            }
        }
    }

    /**
     * A row label in at most {@code width} pixels: a scanpath's name shows its file's name
     * under the word, each line cut with an ellipsis when it is still too long.
     */
    private static void drawLabel(Graphics2D g, String name, int x, int y, int width) {
        String[] lines = name.startsWith("scanpath:")
                ? new String[] {"scanpath", Path.of(name.substring(9)).getFileName() + ""}
                : new String[] {name};
        java.awt.FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            while (line.length() > 1 && metrics.stringWidth(line) > width) {
                line = line.substring(0, line.length() - 2) + "\u2026";
            }
            g.drawString(line, x, y + i * metrics.getHeight());
        }
    }

    private static void drawPath(Graphics2D g, double[] x, double[] y, int left, int top,
            int scale, int k) {
        int T = x.length;
        g.setStroke(new BasicStroke(1.5f));
        for (int t = 0; t < T; t++) {
            int px = left + (int) Math.round((x[t] + 0.5) * scale);
            int py = top + (int) Math.round((y[t] + 0.5) * scale);
            float f = T == 1 ? 0 : t / (float) (T - 1);
            Color c = new Color(f, 1 - 0.6f * f, 0.1f);
            if (t + 1 < T) {
                g.setColor(new Color(255, 200, 0));
                g.drawLine(px, py, left + (int) Math.round((x[t + 1] + 0.5) * scale),
                        top + (int) Math.round((y[t + 1] + 0.5) * scale));
            }
            if (t == 0 || t == T - 1) {
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 150));
                int half = k * scale / 2;
                g.drawRect(px - half, py - half, k * scale, k * scale);
            }
            g.setColor(c);
            g.fillOval(px - 4, py - 4, 9, 9);
        }
    }
}
