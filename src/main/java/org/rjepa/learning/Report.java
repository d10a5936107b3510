package org.rjepa.learning;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rjepa.evaluation.Metrics;

/**
 * One report of a training run.
 *
 * @param step           optimizer batches done (0 is the untrained network)
 * @param loss           mean training loss over the batches since the last report (NaN at 0)
 * @param metrics        the held-out figures
 * @param fixationsPerS  training fixations per second since the last report (0 at step 0)
 * @param wallS          seconds since training started
 */
public record Report(long step, double loss, Metrics metrics, double fixationsPerS,
        double wallS) {

    /** One line of {@code metrics.jsonl}: non-finite numbers become null. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("step", step);
        map.put("loss", finite(loss));
        for (Map.Entry<String, Object> e : metrics.toMap().entrySet()) {
            map.put(e.getKey(), e.getValue() instanceof Double
                    ? finite((Double) e.getValue()) : e.getValue());
        }
        map.put("fixations_per_s", fixationsPerS);
        map.put("wall_s", wallS);
        return map;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
