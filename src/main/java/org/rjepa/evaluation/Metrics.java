package org.rjepa.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The held-out figures of one report (DESIGN.md sections 4 and 6).
 *
 * @param heldOutLoss   the loss on the held-out sequences
 * @param r2            1 - SSE / SST of the predictions of the next target embedding
 * @param r2Persistence the same for predicting that the next embedding equals the current one
 * @param z             collapse metrics of the target embeddings of held-out patches
 * @param h             collapse metrics of the states over held-out fixations
 */
public record Metrics(double heldOutLoss, double r2, double r2Persistence, Collapse z,
        Collapse h) {

    /** The figures under the keys of {@code metrics.jsonl} and {@code summary.json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("heldout_loss", heldOutLoss);
        map.put("r2", r2);
        map.put("r2_persistence", r2Persistence);
        map.put("erank_z", z.effectiveRank());
        map.put("erank_h", h.effectiveRank());
        map.put("std_z_mean", z.stdMean());
        map.put("std_z_min", z.stdMin());
        map.put("std_h_mean", h.stdMean());
        map.put("std_h_min", h.stdMin());
        map.put("cos_z", z.meanCosine());
        map.put("cos_h", h.meanCosine());
        return map;
    }
}
