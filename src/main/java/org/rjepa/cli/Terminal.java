package org.rjepa.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The command line's printed forms: the boxed config table and fixed-width metric lines. */
final class Terminal {
    private Terminal() {
    }

    /** A two-column table in a box, keys left, values left, in the map's order. */
    static void configTable(PrintWriter out, String title, Map<String, String> rows) {
        int keyWidth = title.length();
        int valueWidth = 0;
        for (Map.Entry<String, String> row : rows.entrySet()) {
            keyWidth = Math.max(keyWidth, row.getKey().length());
            valueWidth = Math.max(valueWidth, row.getValue().length());
        }
        String rule = "+" + "-".repeat(keyWidth + 2) + "+" + "-".repeat(valueWidth + 2) + "+";
        out.println(rule);
        out.printf("| %-" + (keyWidth + valueWidth + 3) + "s |%n", title);
        out.println(rule);
        for (Map.Entry<String, String> row : rows.entrySet()) {
            out.printf("| %-" + keyWidth + "s | %-" + valueWidth + "s |%n", row.getKey(),
                    row.getValue());
        }
        out.println(rule);
        out.flush();
    }

    /** A figure as the metric lines print it: fixed width, "-" when not finite. */
    static String figure(double v, int width, int decimals) {
        if (!Double.isFinite(v)) {
            return String.format(Locale.ROOT, "%" + width + "s", "-");
        }
        return String.format(Locale.ROOT, "%" + width + "." + decimals + "f", v);
    }

    /** A small figure in scientific notation when it would otherwise print as zeros. */
    static String spread(double v, int width) {
        if (!Double.isFinite(v)) {
            return String.format(Locale.ROOT, "%" + width + "s", "-");
        }
        return Math.abs(v) >= 1e-3 || v == 0
                ? String.format(Locale.ROOT, "%" + width + ".4f", v)
                : String.format(Locale.ROOT, "%" + width + ".2e", v);
    }
}
