// The batch-mean gradient, and Adam or SGD with momentum fused with the EMA of the target
// (DESIGN.md sections 4 and 5). One thread per parameter.
// CPU twin: org.rjepa.backend.cpu.OptimizerStepCpu (which mirrors org.rjepa.learning.Adam,
// SgdMomentum and model.Target.follow). Launcher: org.rjepa.backend.cuda.OptimizerStepKernel.
//
// The target Wbar_c, bbar_c (n*m + n floats) follows the parameters [barStart, barStart +
// barCount) of the vector, W_c and b_c, which are adjacent in org.rjepa.model.Block order.

// grad[p] = sum_c invB * partial[c][p], chunks in order, and the partial sums cleared.
extern "C" __global__ void grad_mean(int C, long long P, float invB, float* partial,
                                     float* grad) {
    long long p = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= P) {
        return;
    }
    float sum = 0;
    for (int c = 0; c < C; c++) {
        sum += invB * partial[(long long)c * P + p];
        partial[(long long)c * P + p] = 0;
    }
    grad[p] = sum;
}

// The target follows the parameter p just moved (follow = 1, guard ema).
__device__ __forceinline__ void follow(long long p, float x, float* bar, long long barStart,
                                       long long barCount, float tau, int follows) {
    if (follows && p >= barStart && p < barStart + barCount) {
        long long k = p - barStart;
        bar[k] = tau * bar[k] + (1.0f - tau) * x;
    }
}

// Adam with bias correction folded into stepSize = lr sqrt(1 - beta2^t) / (1 - beta1^t) and
// epsHat = eps sqrt(1 - beta2^t), both computed on the host as org.rjepa.learning.Adam does.
extern "C" __global__ void adam_ema(long long P, float* x, const float* g, float* first,
                                    float* second, float beta1, float beta2, float stepSize,
                                    float epsHat, float* bar, long long barStart,
                                    long long barCount, float tau, int follows) {
    long long p = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= P) {
        return;
    }
    float gp = g[p];

    // the moments
    float m = beta1 * first[p] + (1 - beta1) * gp;
    float v = beta2 * second[p] + (1 - beta2) * gp * gp;
    first[p] = m;
    second[p] = v;

    // the step, then the target
    float moved = x[p] - stepSize * m / (sqrtf(v) + epsHat);
    x[p] = moved;
    follow(p, moved, bar, barStart, barCount, tau, follows);
}

// Heavy-ball momentum: v <- mu v + g, x -= lr v, then the target.
extern "C" __global__ void sgd_ema(long long P, float* x, const float* g, float* velocity,
                                   float lr, float momentum, float* bar, long long barStart,
                                   long long barCount, float tau, int follows) {
    long long p = (long long)blockIdx.x * blockDim.x + threadIdx.x;
    if (p >= P) {
        return;
    }
    float v = momentum * velocity[p] + g[p];
    velocity[p] = v;
    float moved = x[p] - lr * v;
    x[p] = moved;
    follow(p, moved, bar, barStart, barCount, tau, follows);
}
