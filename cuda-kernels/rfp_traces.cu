// The RFP trace update fused with the reduction over the batch into the gradient
// (DESIGN.md section 5): the hot loop, which reads and writes every trace once per fixation.
// For the gate (g = g^a: W_a, b_a, r_a) and the drive (g = g^c: W_c, b_c, r_c):
//   E^W[i,j] = d_i E^W[i,j] + g_i u_j          dW[i,j] += delta_i E^W[i,j]
//   e^b[i]   = d_i e^b[i]   + g_i              db[i]   += delta_i e^b[i]
//   e^r[i]   = d_i e^r[i]   + g_i h_{t-1,i}    dr[i]   += delta_i e^r[i]
// CPU twin: org.rjepa.backend.cpu.RfpTracesCpu. Launcher: org.rjepa.backend.cuda.RfpTracesKernel.
//
// Layout. A block's parameters are Q = n*m + 2n floats in the order W (n rows of m), b, r,
// the order of org.rjepa.model.Block (Wa, ba, ra, Wc, bc, rc), so the gate's block starts at
// 0 and the drive's at Q in a parameter vector. Traces: [B][2][Q]. Gradient: [C][P], one
// parameter vector per chunk of `chunk` sequences.
//
// One thread per (chunk c, parameter q), blockIdx.y = 0 for the gate, 1 for the drive. The
// thread walks the chunk's sequences in order, updating each trace and summing its
// contribution, then adds the sum into the chunk's gradient once: no atomics, the same sum
// on every run. Consecutive threads touch consecutive q, so every access to the traces is
// coalesced; d, g, delta and h_{t-1} are read per (b, i) and shared by a row's threads.

extern "C" __global__ void rfp_traces(int B, int chunk, int n, int m, const float* d,
                                      const float* gA, const float* gC, const float* hPrev,
                                      const float* u, int ldu, const float* delta,
                                      float* traces, float* partial, long long P) {
    long long Q = (long long)n * m + 2LL * n;
    long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    int C = (B + chunk - 1) / chunk;
    if (idx >= (long long)C * Q) {
        return;
    }
    int which = blockIdx.y;
    const float* g = which == 0 ? gA : gC;
    long long q = idx % Q;
    int c = (int)(idx / Q);
    long long nm = (long long)n * m;
    // the unit i of parameter q, and whether its input is u_j, 1 (bias) or h_{t-1,i} (r)
    int i = q < nm ? (int)(q / m) : q < nm + n ? (int)(q - nm) : (int)(q - nm - n);
    int j = q < nm ? (int)(q % m) : -1;
    bool bias = q >= nm && q < nm + n;
    int end = min(B, (c + 1) * chunk);

    float acc = 0;
    for (int b = c * chunk; b < end; b++) {
        long long row = (long long)b * n + i;
        float input = j >= 0 ? u[(long long)b * ldu + j] : bias ? 1.0f : hPrev[row];

        // the trace forward: decay by d_i, drive by g_i times the input
        float* trace = traces + ((long long)b * 2 + which) * Q + q;
        float moved = d[row] * *trace + g[row] * input;
        *trace = moved;

        // its contribution to the gradient
        acc += delta[row] * moved;
    }

    partial[(long long)c * P + which * Q + q] += acc;
}
