package org.rjepa.learning;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Gaussian;

/**
 * Gradient identities on random small problems, in double precision: RFP and RTRL against
 * BPTT (equal to rounding on the diagonal circuit), and BPTT against central finite
 * differences. Each case draws odd sizes, {@code T} up to 20, constant or live targets, and
 * is checked twice: for the per-sequence gradient (every loss term) and for the per-step
 * gradient of one step's term. About half the cases with two sequences or more add the vicreg
 * term (random weights lambda_v in [0.5, 2], lambda_c in [0.05, 0.5]), drawn from a stream of
 * their own so that the other draws are the same with or without it.
 *
 * <p>On the dense circuit RTRL and BPTT must still agree, while RFP, the diagonal
 * approximation, is reported (relative error and cosine similarity) but not required to.
 */
public final class GradientCheck {
    /** RFP (and RTRL) may differ from BPTT by no more than this, relative to the block max. */
    public static final double EXACT_LIMIT = 1e-9;
    /** BPTT may differ from central finite differences by no more than this. */
    public static final double FINITE_DIFFERENCE_LIMIT = 1e-5;
    /** Step of the central differences. */
    public static final double EPS = 1e-5;

    private GradientCheck() {
    }

    /**
     * @param update     per-sequence or per-step
     * @param term       the loss term checked ({@link Reference#ALL_TERMS} for per-sequence)
     * @param liveTarget targets through the live drive (guard none) rather than constants
     * @param vicreg     whether the loss has the vicreg term over the batch
     * @param gamma      the spread the vicreg term's hinge asks for (when it has the term)
     */
    public record Case(int index, Dimensions dims, int B, int T, String update, int term,
            boolean liveTarget, boolean vicreg, double gamma) {
    }

    /**
     * Largest errors of one block, each relative to the block's largest BPTT entry, and the
     * cosine similarity of RFP's block to BPTT's.
     *
     * @param rfpExact whether RFP must equal BPTT (the diagonal circuit) or only approximate it
     */
    public record BlockErrors(Block block, double rfpVsBptt, double rfpCosine,
            double rtrlVsBptt, double bpttVsFiniteDifferences, boolean rfpExact) {
        public boolean passes() {
            return (!rfpExact || rfpVsBptt <= EXACT_LIMIT) && rtrlVsBptt <= EXACT_LIMIT
                    && bpttVsFiniteDifferences <= FINITE_DIFFERENCE_LIMIT;
        }
    }

    public record Outcome(Case problem, List<BlockErrors> blocks) {
        public boolean passes() {
            return blocks.stream().allMatch(BlockErrors::passes);
        }
    }

    /** Runs {@code cases} random diagonal circuits, two checks each (per-sequence, per-step). */
    public static List<Outcome> run(int cases, long seed) {
        return run(cases, seed, false);
    }

    /** @param dense random dense circuits (V, U non-zero) instead of diagonal ones */
    public static List<Outcome> run(int cases, long seed, boolean dense) {
        return run(cases, seed, dense, (q, b, t) -> Reference.rfp(q, b, t).gradient(),
                (q, b, t) -> Reference.rtrl(q, b, t).gradient());
    }

    static List<Outcome> run(int cases, long seed, Rule rfpRule, Rule rtrlRule) {
        return run(cases, seed, false, rfpRule, rtrlRule);
    }

    static List<Outcome> run(int cases, long seed, boolean dense, Rule rfpRule,
            Rule rtrlRule) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Outcome> outcomes = new ArrayList<>();
        for (int c = 0; c < cases; c++) {
            int n = 1 + 2 * random.nextInt(5);
            int m = 1 + 2 * random.nextInt(6);
            int ms = 1 + random.nextInt(5);
            int mx = 1 + random.nextInt(m);
            int B = 1 + random.nextInt(3);
            int T = 2 + random.nextInt(19);
            boolean live = random.nextBoolean();
            Dimensions d = new Dimensions(n, m, ms, mx, dense);
            DoubleParameters p = randomParameters(d, random);
            ReferenceBatch batch = randomBatch(d, B, T, live, random);
            SplittableRandom guard = new SplittableRandom(seed * 7919L + c);
            boolean vicreg = B >= 2 && guard.nextBoolean();
            if (vicreg) {
                // gamma from 0.2 to 1.2, so the hinge is seen both active and not
                batch = new ReferenceBatch(batch.u(), batch.s(), batch.z(), live,
                        0.5 + 1.5 * guard.nextDouble(), 0.05 + 0.45 * guard.nextDouble(),
                        0.2 + guard.nextDouble());
            }
            double gamma = batch.varianceTarget();
            outcomes.add(check(new Case(c, d, B, T, "per-sequence", Reference.ALL_TERMS, live,
                    vicreg, gamma), p, batch, rfpRule, rtrlRule));
            int term = random.nextInt(T - 1);
            outcomes.add(check(new Case(c, d, B, T, "per-step", term, live, vicreg, gamma), p,
                    batch, rfpRule, rtrlRule));
        }
        return outcomes;
    }

    /** A learning rule's gradient of a batch's loss (all terms, or one). */
    @FunctionalInterface
    public interface Rule {
        DoubleParameters gradient(DoubleParameters p, ReferenceBatch batch, int term);
    }

    /** The check with the rules under test given, so that a wrong rule can be shown to fail. */
    static Outcome check(Case problem, DoubleParameters p, ReferenceBatch batch, Rule rfpRule,
            Rule rtrlRule) {
        int term = problem.term();
        DoubleParameters bptt = Reference.bptt(p, batch, term).gradient();
        DoubleParameters rfp = rfpRule.gradient(p, batch, term);
        DoubleParameters rtrl = rtrlRule.gradient(p, batch, term);
        DoubleParameters fd = Reference.finiteDifferences(p, batch, term, EPS);
        List<BlockErrors> blocks = new ArrayList<>();
        for (Block b : Block.values()) {
            if (b.size(p.dims()) == 0) {
                continue;
            }
            blocks.add(new BlockErrors(b, relative(rfp.get(b), bptt.get(b)),
                    cosine(rfp.get(b), bptt.get(b)), relative(rtrl.get(b), bptt.get(b)),
                    relative(bptt.get(b), fd.get(b)), !p.dims().dense()));
        }
        return new Outcome(problem, blocks);
    }

    /** max |a - b| / max |b|; the absolute difference when b is all zero. */
    public static double relative(double[] a, double[] b) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < b.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return scale > 0 ? worst / scale : worst;
    }

    /** a.b / (|a| |b|); 1 when both are zero, 0 when only one is. */
    public static double cosine(double[] a, double[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        if (aa == 0 && bb == 0) {
            return 1;
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    static DoubleParameters randomParameters(Dimensions d, SplittableRandom random) {
        DoubleParameters p = new DoubleParameters(d);
        for (Block b : Block.values()) {
            double[] x = p.get(b);
            double std = 1 / Math.sqrt(b.cols(d));
            for (int i = 0; i < x.length; i++) {
                x[i] = std * Gaussian.next(random);
            }
        }
        return p;
    }

    static ReferenceBatch randomBatch(Dimensions d, int B, int T, boolean live,
            SplittableRandom random) {
        double[][][] u = cube(B, T, d.m(), random);
        double[][][] s = cube(B, T, d.ms(), random);
        double[][][] z = live ? null : cube(B, T, d.n(), random);
        if (z != null) {
            for (double[][] seq : z) {
                for (double[] zt : seq) {
                    for (int i = 0; i < zt.length; i++) {
                        zt[i] = Math.tanh(zt[i]);
                    }
                }
            }
        }
        return new ReferenceBatch(u, s, z, live);
    }

    private static double[][][] cube(int B, int T, int width, SplittableRandom random) {
        double[][][] out = new double[B][T][width];
        for (double[][] seq : out) {
            for (double[] row : seq) {
                for (int i = 0; i < width; i++) {
                    row[i] = Gaussian.next(random);
                }
            }
        }
        return out;
    }
}
