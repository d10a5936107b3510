// Runs the kernels of cuda-kernels/*.cu on the host, without a GPU, to check their index
// arithmetic, strides, bounds guards and tiling against the mathematics of their Java twins
// (transcribed below in the same float operations). Each launch is emulated over its whole
// grid: one call per thread with blockIdx and threadIdx set, and for projection_gemm, whose
// threads share tiles, one real thread per CUDA thread of a block with a barrier for
// __syncthreads. The sizes are those of the gpu tests: 0, 1, 31, 33, 129, odd strides.
// Built and run by scripts/check-kernels-on-host; not part of the Maven build.

#include <algorithm>
#include <barrier>
#include <functional>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

struct Dim3 {
    unsigned x = 1, y = 1, z = 1;
};
static thread_local Dim3 threadIdx, blockIdx;
static Dim3 blockDim, gridDim;
static std::barrier<>* blockBarrier = nullptr;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __syncthreads() blockBarrier->arrive_and_wait()
using std::min;

#include "../gated_step.cu"
#include "../optimizer_step.cu"
#include "../prediction_error.cu"
#include "../projection.cu"
#include "../rfp_traces.cu"
#include "../target_embedding.cu"

using Floats = std::vector<float>;

template <class Kernel>
static void launch(Dim3 grid, Dim3 block, bool shares, Kernel kernel) {
    gridDim = grid;
    blockDim = block;
    for (unsigned by = 0; by < grid.y; by++) {
        for (unsigned bx = 0; bx < grid.x; bx++) {
            if (!shares) {
                blockIdx = {bx, by, 0};
                for (unsigned ty = 0; ty < block.y; ty++) {
                    for (unsigned tx = 0; tx < block.x; tx++) {
                        threadIdx = {tx, ty, 0};
                        kernel();
                    }
                }
                continue;
            }
            std::barrier<> barrier(block.x * block.y);
            blockBarrier = &barrier;
            std::vector<std::thread> threads;
            for (unsigned ty = 0; ty < block.y; ty++) {
                for (unsigned tx = 0; tx < block.x; tx++) {
                    threads.emplace_back([=] {
                        blockIdx = {bx, by, 0};
                        threadIdx = {tx, ty, 0};
                        kernel();
                    });
                }
            }
            for (auto& t : threads) {
                t.join();
            }
        }
    }
}

// Launch.run1d: THREADS = 256 per block, nothing for 0 items.
static void run1d(long long items, unsigned gridY, std::function<void()> kernel) {
    if (items <= 0) {
        return;
    }
    launch({(unsigned)((items + 255) / 256), gridY, 1}, {256, 1, 1}, false, kernel);
}

static Floats random(size_t count, double scale, unsigned seed) {
    std::mt19937 engine(seed);
    std::normal_distribution<double> normal;
    Floats out(count);
    for (auto& v : out) {
        v = (float)(scale * normal(engine));
    }
    return out;
}

static int failures = 0;
static int checks = 0;

static void expect(const std::string& what, const Floats& got, const Floats& want,
                   double tolerance) {
    checks++;
    double worst = 0;
    size_t at = 0;
    for (size_t k = 0; k < want.size(); k++) {
        double err = std::fabs((double)got[k] - want[k]) / (1 + std::fabs((double)want[k]));
        if (!(err <= worst)) {
            worst = err;
            at = k;
        }
    }
    if (got.size() != want.size() || !(worst <= tolerance)) {
        failures++;
        std::printf("FAIL %s: worst relative error %.3g at %zu (got %.9g, want %.9g)\n",
                    what.c_str(), worst, at, at < got.size() ? got[at] : 0.0,
                    at < want.size() ? want[at] : 0.0);
    }
}

// ProjectionCpu.project over rows: out = base + V W^T, k in order.
static void projectTwin(int rows, int n, int K, const Floats& V, int ldv, const Floats& W,
                        int ldw, const Floats& bias, bool accumulate, Floats& out, int ldo) {
    for (int r = 0; r < rows; r++) {
        for (int i = 0; i < n; i++) {
            float acc = accumulate ? out[(size_t)r * ldo + i] : bias[i];
            for (int k = 0; k < K; k++) {
                acc += V[(size_t)r * ldv + k] * W[(size_t)i * ldw + k];
            }
            out[(size_t)r * ldo + i] = acc;
        }
    }
}

static void checkProjection(int rows, int n, int K) {
    int ldv = K + 5, ldw = K + 3, ldo = n + 2;
    Floats V = random((size_t)rows * ldv, 1, 11), W = random((size_t)n * ldw, 1, 12);
    Floats bias = random(n, 1, 13), V2 = random((size_t)rows * 4, 1, 14);
    Floats W2 = random((size_t)n * 4, 1, 15);
    Floats got(std::max<size_t>((size_t)rows * ldo, 1), -7.0f), want = got;
    for (int pass = 0; pass < 2; pass++) {
        bool acc = pass == 1;
        const Floats& v = acc ? V2 : V;
        const Floats& w = acc ? W2 : W;
        int k = acc ? 4 : K, lv = acc ? 4 : ldv, lw = acc ? 4 : ldw;
        projectTwin(rows, n, k, v, lv, w, lw, bias, acc, want, ldo);
        if (rows == 0 || n == 0 || (acc && k == 0)) {
            continue;
        }
        launch({(unsigned)((n + 15) / 16), (unsigned)((rows + 15) / 16), 1}, {16, 16, 1}, true,
               [&] {
                   projection_gemm(rows, n, k, v.data(), lv, w.data(), lw, bias.data(),
                                   acc ? 1 : 0, got.data(), ldo);
               });
    }
    expect("projection_gemm rows=" + std::to_string(rows) + " n=" + std::to_string(n) +
               " K=" + std::to_string(K),
           got, want, 0);
    Floats filled(std::max<size_t>((size_t)rows * ldo, 1), -7.0f), fillWant = filled;
    for (int r = 0; r < rows; r++) {
        std::copy(bias.begin(), bias.end(), fillWant.begin() + (size_t)r * ldo);
    }
    run1d((long long)rows * n, 1, [&] { fill_rows(rows, n, bias.data(), filled.data(), ldo); });
    expect("fill_rows rows=" + std::to_string(rows), filled, fillWant, 0);
}

static void checkGatedStep(int B, int n) {
    Floats pa = random((size_t)B * n, 1, 1), pc = random((size_t)B * n, 1, 2);
    Floats ra = random(n, 0.5, 3), rc = random(n, 0.5, 4), hp = random((size_t)B * n, 0.5, 5);
    size_t N = (size_t)B * n;
    Floats h(N), d(N), ga(N), gc(N), wh(N), wd(N), wga(N), wgc(N);
    for (int b = 0; b < B; b++) {
        for (int i = 0; i < n; i++) {  // GatedStepCpu.step, sigmoid and tanh in double
            size_t k = (size_t)b * n + i;
            float x = hp[k];
            float a = (float)(1 / (1 + std::exp(-(double)(pa[k] + ra[i] * x))));
            float c = (float)std::tanh((double)(pc[k] + rc[i] * x));
            float gA = a * (1 - a) * (c - x), gC = a * (1 - c * c);
            wh[k] = x + a * (c - x);
            wga[k] = gA;
            wgc[k] = gC;
            wd[k] = (1 - a) + gA * ra[i] + gC * rc[i];
        }
    }
    run1d((long long)B * n, 1, [&] {
        gated_step(B, n, pa.data(), pc.data(), ra.data(), rc.data(), hp.data(), h.data(),
                   d.data(), ga.data(), gc.data());
    });
    std::string at = " B=" + std::to_string(B) + " n=" + std::to_string(n);
    expect("gated_step h" + at, h, wh, 1e-6);
    expect("gated_step d" + at, d, wd, 1e-6);
    expect("gated_step gA" + at, ga, wga, 1e-6);
    expect("gated_step gC" + at, gc, wgc, 1e-6);
}

static void checkRfpTraces(int B, int n, int m) {
    const int chunk = 8;
    int C = (B + chunk - 1) / chunk, ldu = m + 4;
    long long Q = (long long)n * m + 2LL * n, P = 2 * Q + 5;
    Floats traces = random((size_t)B * 2 * Q, 0.5, 41), partial = random((size_t)C * P, 1, 42);
    Floats wantTraces = traces, wantPartial = partial;
    for (int step = 0; step < 3; step++) {
        Floats d = random((size_t)B * n, 0.4, 50 + step), gA = random((size_t)B * n, 0.3, 60 + step);
        Floats gC = random((size_t)B * n, 0.3, 70 + step), hp = random((size_t)B * n, 0.6, 80 + step);
        Floats u = random((size_t)B * ldu, 1, 90 + step), delta = random((size_t)B * n, 0.5, 100 + step);
        for (int c = 0; c < C; c++) {  // RfpTracesCpu.update per sequence into a chunk sum
            Floats sum(2 * Q, 0.0f);
            for (int b = c * chunk; b < std::min(B, (c + 1) * chunk); b++) {
                for (int w = 0; w < 2; w++) {
                    const Floats& g = w == 0 ? gA : gC;
                    float* E = &wantTraces[((size_t)b * 2 + w) * Q];
                    float* dW = &sum[(size_t)w * Q];
                    for (int i = 0; i < n; i++) {
                        size_t row = (size_t)b * n + i;
                        float di = d[row], gi = g[row], li = delta[row];
                        for (int j = 0; j < m; j++) {
                            float& e = E[(size_t)i * m + j];
                            e = di * e + gi * u[(size_t)b * ldu + j];
                            dW[(size_t)i * m + j] += li * e;
                        }
                        float& eb = E[(size_t)n * m + i];
                        float& er = E[(size_t)n * m + n + i];
                        eb = di * eb + gi;
                        er = di * er + gi * hp[row];
                        dW[(size_t)n * m + i] += li * eb;
                        dW[(size_t)n * m + n + i] += li * er;
                    }
                }
            }
            for (long long q = 0; q < 2 * Q; q++) {
                wantPartial[(size_t)c * P + q] += sum[q];
            }
        }
        run1d((long long)C * Q, 2, [&] {
            rfp_traces(B, chunk, n, m, d.data(), gA.data(), gC.data(), hp.data(), u.data(), ldu,
                       delta.data(), traces.data(), partial.data(), P);
        });
    }
    std::string at = " B=" + std::to_string(B) + " n=" + std::to_string(n) + " m=" +
                     std::to_string(m);
    expect("rfp_traces traces" + at, traces, wantTraces, 1e-6);
    expect("rfp_traces partial" + at, partial, wantPartial, 1e-6);
}

static void checkPrediction(int B, int n, int ms, int T) {
    const int chunk = 8;
    int C = (B + chunk - 1) / chunk, lds = ms + 3;
    long long offPh = 2, offPs = offPh + (long long)n * n, offbp = offPs + (long long)n * ms;
    long long P = offbp + n + 1;
    Floats Ph = random((size_t)n * n, 0.3, 31), Ps = random((size_t)n * ms, 0.3, 32);
    Floats bp = random(n, 0.3, 33), h = random((size_t)B * n, 0.6, 34);
    Floats s = random((size_t)B * lds, 1, 35), z = random((size_t)B * n, 0.6, 36);
    Floats partial = random((size_t)C * P, 1, 37), wantPartial = partial;
    size_t N = (size_t)B * n;
    Floats e(N), wantE(N), diffs(N), delta(N), wantDelta(N);
    std::vector<double> loss(B, 0.25), wantLoss(B, 0.25);
    float scale = 1.0f / (T - 1);
    for (int c = 0; c < C; c++) {  // PredictionErrorCpu.predict, error, backProject
        Floats dPh((size_t)n * n), dPs((size_t)n * ms), dbp(n);
        for (int b = c * chunk; b < std::min(B, (c + 1) * chunk); b++) {
            const float* hb = &h[(size_t)b * n];
            const float* sb = &s[(size_t)b * lds];
            float* eb = &wantE[(size_t)b * n];
            for (int i = 0; i < n; i++) {
                float y = bp[i];
                for (int k = 0; k < n; k++) y += hb[k] * Ph[(size_t)i * n + k];
                for (int k = 0; k < ms; k++) y += sb[k] * Ps[(size_t)i * ms + k];
                eb[i] = y;
            }
            double sq = 0;
            for (int i = 0; i < n; i++) {
                float diff = eb[i] - z[(size_t)b * n + i];
                sq += 0.5 * (double)diff * diff;
                eb[i] = diff * scale;
            }
            wantLoss[b] += sq / (T - 1);
            for (int k = 0; k < n; k++) wantDelta[(size_t)b * n + k] = 0;
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    wantDelta[(size_t)b * n + k] += eb[i] * Ph[(size_t)i * n + k];
                    dPh[(size_t)i * n + k] += eb[i] * hb[k];
                }
                for (int k = 0; k < ms; k++) dPs[(size_t)i * ms + k] += eb[i] * sb[k];
                dbp[i] += eb[i];
            }
        }
        for (size_t k = 0; k < dPh.size(); k++) wantPartial[c * P + offPh + k] += dPh[k];
        for (size_t k = 0; k < dPs.size(); k++) wantPartial[c * P + offPs + k] += dPs[k];
        for (int i = 0; i < n; i++) wantPartial[c * P + offbp + i] += dbp[i];
    }
    if (B > 0) {
        auto gemm = [&](int K, const Floats& V, int ldv, const Floats& W, bool acc) {
            if (acc && K == 0) return;
            launch({(unsigned)((n + 15) / 16), (unsigned)((B + 15) / 16), 1}, {16, 16, 1}, true,
                   [&] {
                       projection_gemm(B, n, K, V.data(), ldv, W.data(), K, bp.data(), acc,
                                       e.data(), n);
                   });
        };
        gemm(n, h, n, Ph, false);
        gemm(ms, s, lds, Ps, true);
    }
    run1d((long long)N, 1, [&] {
        prediction_error(B, n, e.data(), z.data(), scale, diffs.data());
    });
    run1d(B, 1, [&] { loss_sum(B, n, diffs.data(), T, loss.data()); });
    run1d((long long)N, 1, [&] { back_project(B, n, Ph.data(), e.data(), delta.data()); });
    run1d((long long)C * n * (n + ms + 1), 1, [&] {
        predictor_gradient(B, chunk, n, ms, e.data(), h.data(), s.data(), lds, partial.data(), P,
                           offPh, offPs, offbp);
    });
    std::string at = " B=" + std::to_string(B) + " n=" + std::to_string(n) + " ms=" +
                     std::to_string(ms);
    expect("prediction e" + at, e, wantE, 0);
    Floats l(loss.begin(), loss.end()), wl(wantLoss.begin(), wantLoss.end());
    expect("loss_sum" + at, l, wl, 1e-7);
    expect("back_project" + at, delta, wantDelta, 0);
    expect("predictor_gradient" + at, partial, wantPartial, 1e-6);
}

static void checkTarget(int B, int n, int m, int mx) {
    const int chunk = 8;
    int C = (B + chunk - 1) / chunk, ldx = 2 * m;
    long long offWc = 3, offbc = offWc + (long long)n * m, P = offbc + n + 2;
    Floats x = random((size_t)B * ldx, 1, 21), W = random((size_t)n * m, 0.3, 22);
    Floats bias = random(n, 0.3, 23), e = random((size_t)B * n, 0.2, 24);
    Floats partial = random((size_t)C * P, 1, 25), wantPartial = partial;
    Floats z((size_t)B * n), wantZ((size_t)B * n);
    for (int c = 0; c < C; c++) {  // TargetEmbeddingCpu.embed and addGradient
        Floats dW((size_t)n * m), db(n);
        for (int b = c * chunk; b < std::min(B, (c + 1) * chunk); b++) {
            for (int i = 0; i < n; i++) {
                float acc = bias[i];
                for (int j = 0; j < mx; j++) acc += x[(size_t)b * ldx + j] * W[(size_t)i * m + j];
                float zi = (float)std::tanh((double)acc);
                wantZ[(size_t)b * n + i] = zi;
                float dGamma = -e[(size_t)b * n + i] * (1 - zi * zi);
                for (int j = 0; j < mx; j++) dW[(size_t)i * m + j] += dGamma * x[(size_t)b * ldx + j];
                db[i] += dGamma;
            }
        }
        for (size_t k = 0; k < dW.size(); k++) wantPartial[c * P + offWc + k] += dW[k];
        for (int i = 0; i < n; i++) wantPartial[c * P + offbc + i] += db[i];
    }
    if (B > 0) {
        launch({(unsigned)((n + 15) / 16), (unsigned)((B + 15) / 16), 1}, {16, 16, 1}, true, [&] {
            projection_gemm(B, n, mx, x.data(), ldx, W.data(), m, bias.data(), 0, z.data(), n);
        });
    }
    run1d((long long)B * n, 1, [&] { target_activate(B * n, z.data()); });
    run1d((long long)C * n * (mx + 1), 1, [&] {
        target_gradient(B, chunk, n, m, mx, e.data(), wantZ.data(), x.data(), ldx,
                        partial.data(), P, offWc, offbc);
    });
    std::string at = " B=" + std::to_string(B) + " n=" + std::to_string(n) + " m=" +
                     std::to_string(m) + " mx=" + std::to_string(mx);
    expect("target z" + at, z, wantZ, 1e-6);
    expect("target_gradient" + at, partial, wantPartial, 1e-6);
}

static void checkOptimizer(int P, int C, bool adam, bool follows) {
    int B = 8 * C - 1, barStart = P / 3, barCount = P - barStart - P / 5;
    float tau = 0.98f;
    Floats x = random(P, 1, 1), m1(P), m2(P), bar = random(barCount, 1, 2);
    Floats wx = x, wm1 = m1, wm2 = m2, wbar = bar, g(P), wg(P);
    for (int step = 1; step <= 3; step++) {
        Floats partial = random((size_t)C * P, 0.5, 10 + step), wantPartial = partial;
        float inv = 1.0f / B;
        double c1 = 1 - std::pow(0.9f, step), c2 = 1 - std::pow(0.999f, step);
        float stepSize = (float)(1e-2f * std::sqrt(c2) / c1), epsHat = (float)(1e-8f * std::sqrt(c2));
        for (int p = 0; p < P; p++) {  // OptimizerStepCpu.mean, adam / sgd, follow
            float sum = 0;
            for (int c = 0; c < C; c++) sum += inv * wantPartial[(size_t)c * P + p];
            wg[p] = sum;
            float moved;
            if (adam) {
                float m = 0.9f * wm1[p] + (1 - 0.9f) * sum;
                float v = 0.999f * wm2[p] + (1 - 0.999f) * sum * sum;
                wm1[p] = m;
                wm2[p] = v;
                moved = wx[p] - stepSize * m / ((float)std::sqrt((double)v) + epsHat);
            } else {
                float v = 0.9f * wm1[p] + sum;
                wm1[p] = v;
                moved = wx[p] - 0.05f * v;
            }
            wx[p] = moved;
            if (follows && p >= barStart && p < barStart + barCount) {
                wbar[p - barStart] = tau * wbar[p - barStart] + (1.0f - tau) * moved;
            }
        }
        run1d(P, 1, [&] { grad_mean(C, P, inv, partial.data(), g.data()); });
        if (adam) {
            run1d(P, 1, [&] {
                adam_ema(P, x.data(), g.data(), m1.data(), m2.data(), 0.9f, 0.999f, stepSize,
                         epsHat, bar.data(), barStart, barCount, tau, follows);
            });
        } else {
            run1d(P, 1, [&] {
                sgd_ema(P, x.data(), g.data(), m1.data(), 0.05f, 0.9f, bar.data(), barStart,
                        barCount, tau, follows);
            });
        }
        expect("grad_mean P=" + std::to_string(P), g, wg, 0);
        expect("grad_mean cleared P=" + std::to_string(P), partial, Floats(partial.size()), 0);
    }
    std::string at = " P=" + std::to_string(P) + (adam ? " adam" : " sgd");
    expect("optimizer x" + at, x, wx, 0);
    expect("optimizer moment" + at, m1, wm1, 0);
    expect("optimizer second" + at, m2, wm2, 0);
    expect("optimizer target" + at, bar, wbar, 0);
}

int main() {
    for (auto [rows, n, K] : std::vector<std::tuple<int, int, int>>{
             {1, 1, 1}, {3, 31, 33}, {33, 33, 31}, {17, 129, 129}, {0, 31, 33}, {5, 31, 0},
             {33, 17, 16}, {16, 16, 17}}) {
        checkProjection(rows, n, K);
    }
    for (auto [B, n] : std::vector<std::pair<int, int>>{{1, 1}, {3, 31}, {9, 33}, {33, 129}, {0, 5}}) {
        checkGatedStep(B, n);
    }
    for (auto [B, n, m] : std::vector<std::tuple<int, int, int>>{
             {1, 1, 1}, {3, 33, 31}, {9, 129, 33}, {17, 31, 129}, {0, 31, 33}, {8, 1, 129}}) {
        checkRfpTraces(B, n, m);
    }
    for (auto [B, n, ms, T] : std::vector<std::tuple<int, int, int, int>>{
             {1, 1, 0, 2}, {3, 31, 4, 3}, {9, 33, 8, 8}, {33, 129, 12, 5}, {0, 33, 4, 3}}) {
        checkPrediction(B, n, ms, T);
    }
    for (auto [B, n, m, mx] : std::vector<std::tuple<int, int, int, int>>{
             {1, 1, 1, 1}, {3, 31, 33, 31}, {17, 5, 129, 121}, {33, 129, 20, 16}, {0, 31, 33, 31}}) {
        checkTarget(B, n, m, mx);
    }
    for (auto [P, C, adam, follows] : std::vector<std::tuple<int, int, bool, bool>>{
             {1, 1, true, true}, {31, 3, true, false}, {129, 5, false, true}, {4099, 17, true, true},
             {0, 1, true, true}}) {
        checkOptimizer(P, C, adam, follows);
    }
    std::printf("%d of %d checks passed\n", checks - failures, checks);
    return failures == 0 ? 0 : 1;
}
