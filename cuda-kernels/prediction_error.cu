// The predictor's error and its back-projection (DESIGN.md sections 4 and 5), for a batch:
//   e = (yhat - z_next) / (T - 1)       loss term 1/2 |yhat - z_next|^2 / (T - 1)
//   delta = P_h^T e                     dP_h += e h^T, dP_s += e psi_s^T, db_p += e
// yhat itself comes from projection_gemm (P_h h + b_p, then + P_s psi_s).
// CPU twin: org.rjepa.backend.cpu.PredictionErrorCpu.
// Launcher: org.rjepa.backend.cuda.PredictionErrorKernel.
// Every [B][n] buffer is row-major, index b*n + i.

// e (in place over yhat) and the unscaled differences yhat - z_next, one thread per (b, i).
extern "C" __global__ void prediction_error(int B, int n, float* e, const float* zNext,
                                            float scale, float* diffs) {
    long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= (long long)B * n) {
        return;
    }
    float diff = e[idx] - zNext[idx];
    diffs[idx] = diff;
    e[idx] = diff * scale;
}

// loss[b] += sum_i 1/2 diffs[b][i]^2 / (T - 1), each square and the sum in double, in order
// of i, as the twin does; one thread per sequence, so the sum is the same on every run.
extern "C" __global__ void loss_sum(int B, int n, const float* diffs, int T, double* loss) {
    int b = blockIdx.x * blockDim.x + threadIdx.x;
    if (b >= B) {
        return;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double diff = diffs[(long long)b * n + i];
        sum += 0.5 * diff * diff;
    }
    loss[b] += sum / (T - 1);
}

// delta[b][k] = sum_i P_h[i][k] e[b][i], i in order; one thread per (b, k), so a warp
// reads a row of P_h at consecutive k. P_h is n x n row-major.
extern "C" __global__ void back_project(int B, int n, const float* Ph, const float* e,
                                        float* delta) {
    long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= (long long)B * n) {
        return;
    }
    long long b = idx / n;
    int k = (int)(idx % n);
    float acc = 0;
    for (int i = 0; i < n; i++) {
        acc += e[b * n + i] * Ph[(long long)i * n + k];
    }
    delta[idx] = acc;
}

// The predictor's gradient of the sequences of chunk c, summed in order of b and added
// into the chunk's gradient: one thread per (c, i, q) with q in [0, n + ms], where q < n is
// column q of P_h (input h), n <= q < n + ms column q - n of P_s (input psi_s), q = n + ms
// is b_p (input 1).
// h: [B][n]; s: B rows of stride lds (ms values); partial: [C][P], accumulated into.
extern "C" __global__ void predictor_gradient(int B, int chunk, int n, int ms, const float* e,
                                              const float* h, const float* s, int lds,
                                              float* partial, long long P, long long offPh,
                                              long long offPs, long long offbp) {
    long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    int C = (B + chunk - 1) / chunk;
    int cols = n + ms + 1;
    if (idx >= (long long)C * n * cols) {
        return;
    }
    int q = (int)(idx % cols);
    int i = (int)((idx / cols) % n);
    int c = (int)(idx / ((long long)cols * n));
    int end = min(B, (c + 1) * chunk);

    // e_i times the input of column q, over the chunk's sequences in order
    float acc = 0;
    for (int b = c * chunk; b < end; b++) {
        float input = q < n ? h[(long long)b * n + q]
                    : q < n + ms ? s[(long long)b * lds + (q - n)] : 1.0f;
        acc += e[(long long)b * n + i] * input;
    }

    float* grad = partial + (long long)c * P;
    if (q < n) {
        grad[offPh + (long long)i * n + q] += acc;
    } else if (q < n + ms) {
        grad[offPs + (long long)i * ms + (q - n)] += acc;
    } else {
        grad[offbp + i] += acc;
    }
}
