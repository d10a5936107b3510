// The fused gated-circuit step of DESIGN.md section 3, for a batch of B sequences.
// CPU twin: org.rjepa.backend.cpu.GatedStepCpu (each step comment below is mirrored there).
// Launcher: org.rjepa.backend.cuda.GatedStepKernel. Built by scripts/build-kernels into a
// fatbin (SASS sm_80/86/89/90, PTX compute_90), loaded through the JCuda driver API.
//
// One thread per (sequence b, unit i); every buffer is [B][n] row-major, so index b*n + i.

extern "C" __global__ void gated_step(int B, int n, const float* projA, const float* projC,
                                      const float* ra, const float* rc, const float* hPrev,
                                      float* h, float* d, float* gA, float* gC) {
    long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= (long long)B * n) {
        return;
    }
    int i = (int)(idx % n);
    float hp = hPrev[idx];

    // gate and drive from the input projections and the element-wise recurrence
    float a = 1.0f / (1.0f + expf(-(projA[idx] + ra[i] * hp)));
    float c = tanhf(projC[idx] + rc[i] * hp);

    // dh_t/dalpha_t and dh_t/dgamma_t
    float ga = a * (1 - a) * (c - hp);
    float gc = a * (1 - c * c);

    // the new state and the diagonal of J_t
    h[idx] = hp + a * (c - hp);
    gA[idx] = ga;
    gC[idx] = gc;
    d[idx] = (1 - a) + ga * ra[i] + gc * rc[i];
}
