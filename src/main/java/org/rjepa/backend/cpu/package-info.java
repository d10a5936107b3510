/**
 * The fast float32 CPU path: one class per kernel family, each the CPU twin of the CUDA
 * kernel of the same base name, and the learner and forward pass built from them.
 *
 * <p>Layout. Every hot loop reads and writes whole arrays from index 0: a matrix is held as
 * an array of row arrays, and each sequence has its own small vectors. The HotSpot compiler
 * of JDK 17 turns a loop into SIMD instructions only when all its array accesses share one
 * offset (measured here: about 6 GMAC/s for {@code y[i] += a * x[i]}, 2 GMAC/s for
 * {@code y[r + i] += a * x[i]}), and only when the loop stores into one array, so loops
 * that would update two arrays are split in two.
 *
 * <p>Symbols as in DESIGN.md: {@code n} hidden units, {@code m} circuit inputs, {@code mx}
 * patch values, {@code ms} saccade code values, {@code T} fixations, {@code B} sequences.
 */
package org.rjepa.backend.cpu;
