/**
 * JMH benchmarks of the CPU learners (RFP, RTRL, BPTT) and the report made from their
 * results.
 *
 * <p>Letters as in DESIGN.md: {@code n} hidden units, {@code m} circuit input size,
 * {@code T} fixations per sequence, {@code B} sequences per batch, {@code P = 2nm + 4n}
 * circuit parameters. A "fixation" in a per-fixation figure is one with a loss term: a
 * sequence of T fixations has {@code T - 1} of them.
 */
package org.rjepa.benchmarks;
