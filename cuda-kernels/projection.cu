// Projections of a batch by a weight matrix: out = base + V W^T, with base the bias row
// (or what out holds already, to accumulate a second product), for the input projections
// W_a u + b_a and W_c u + b_c, the target drive Wbar_c x + bbar_c and the predictor
// P_h h + P_s psi_s + b_p. The engine uses it when cuBLAS (libcublas.so.12) cannot load;
// fill_rows prepares the bias for the cuBLAS path.
// CPU twin: org.rjepa.backend.cpu.ProjectionCpu. Launcher: org.rjepa.backend.cuda.ProjectionKernel.
//
// Shapes, all row-major: V is rows x K (row stride ldv), W is n x K (row stride ldw, only the
// first K columns read), bias n, out rows x n (row stride ldo).
// The sum over k starts from the base and runs k = 0, 1, ... in order, as the CPU twin does.

#define TILE 16

extern "C" __global__ void projection_gemm(int rows, int n, int K, const float* V, int ldv,
                                           const float* W, int ldw, const float* bias,
                                           int accumulate, float* out, int ldo) {
    // +1 column: reading Ws[tx][k] across a warp then touches distinct banks
    __shared__ float Vs[TILE][TILE + 1];
    __shared__ float Ws[TILE][TILE + 1];
    int tx = threadIdx.x;
    int ty = threadIdx.y;
    int r = blockIdx.y * TILE + ty;
    int i = blockIdx.x * TILE + tx;
    bool inside = r < rows && i < n;

    // start from the bias (or from what is there, to add a second product)
    float acc = 0;
    if (inside) {
        acc = accumulate ? out[(long long)r * ldo + i] : bias[i];
    }

    for (int k0 = 0; k0 < K; k0 += TILE) {
        // one tile of V's rows and one of W's rows into shared memory, zero past the edges
        int vr = blockIdx.y * TILE + ty;
        int wr = blockIdx.x * TILE + ty;
        int k = k0 + tx;
        Vs[ty][tx] = (vr < rows && k < K) ? V[(long long)vr * ldv + k] : 0.0f;
        Ws[ty][tx] = (wr < n && k < K) ? W[(long long)wr * ldw + k] : 0.0f;
        __syncthreads();

        // the tile's terms in increasing k
        int last = min(TILE, K - k0);
        for (int kk = 0; kk < last; kk++) {
            acc += Vs[ty][kk] * Ws[tx][kk];
        }
        __syncthreads();
    }

    if (inside) {
        out[(long long)r * ldo + i] = acc;
    }
}

// out[r][i] = bias[i] for rows x n, row stride ldo.
extern "C" __global__ void fill_rows(int rows, int n, const float* bias, float* out, int ldo) {
    long long idx = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (idx >= (long long)rows * n) {
        return;
    }
    long long r = idx / n;
    int i = (int)(idx % n);
    out[r * ldo + i] = bias[i];
}
