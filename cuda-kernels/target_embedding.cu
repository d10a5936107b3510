// The target embedding of DESIGN.md section 4, z = tanh(Wbar_c [x ; 0] + bbar_c): the
// product comes from projection_gemm (or cuBLAS), target_activate applies tanh, and with
// the guard `none` target_gradient lets the gradient flow through the live target.
// CPU twin: org.rjepa.backend.cpu.TargetEmbeddingCpu.
// Launcher: org.rjepa.backend.cuda.TargetEmbeddingKernel.

// z = tanh(z) over count values, in place.
extern "C" __global__ void target_activate(int count, float* z) {
    int idx = blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= count) {
        return;
    }
    z[idx] = tanhf(z[idx]);
}

// With live targets dL/dz = -e: over the sequences b of chunk c (chunk sequences each, in
// order), dW_c[i, j] -= sum_b e_bi (1 - z_bi^2) x_bj for j < mx, and db_c[i] likewise.
// One thread per (chunk c, unit i, column j), j in [0, mx] where j = mx is the bias.
// e, z: [B][n]; x: B rows of stride ldx (the first mx values read);
// partial: [C][P] per-chunk gradients, accumulated into at offWc + i*m + j and offbc + i.
extern "C" __global__ void target_gradient(int B, int chunk, int n, int m, int mx,
                                           const float* e, const float* z, const float* x,
                                           int ldx, float* partial, long long P,
                                           long long offWc, long long offbc) {
    long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    int C = (B + chunk - 1) / chunk;
    int cols = mx + 1;
    if (idx >= (long long)C * n * cols) {
        return;
    }
    int j = (int)(idx % cols);
    int i = (int)((idx / cols) % n);
    int c = (int)(idx / ((long long)cols * n));
    int end = min(B, (c + 1) * chunk);

    // dgamma of the target, times its input, summed over the chunk's sequences in order
    float acc = 0;
    for (int b = c * chunk; b < end; b++) {
        float zi = z[(long long)b * n + i];
        float dGamma = -e[(long long)b * n + i] * (1 - zi * zi);
        acc += j < mx ? dGamma * x[(long long)b * ldx + j] : dGamma;
    }

    float* grad = partial + (long long)c * P;
    if (j < mx) {
        grad[offWc + (long long)i * m + j] += acc;
    } else {
        grad[offbc + i] += acc;
    }
}
