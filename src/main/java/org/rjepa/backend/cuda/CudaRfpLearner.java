package org.rjepa.backend.cuda;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import org.rjepa.backend.cpu.OptimizerStepCpu;
import org.rjepa.fixation.FixationBatch;
import org.rjepa.learning.Adam;
import org.rjepa.learning.Guard;
import org.rjepa.learning.Learner;
import org.rjepa.learning.Optimizer;
import org.rjepa.learning.SgdMomentum;
import org.rjepa.learning.UpdateMode;
import org.rjepa.learning.UpdateRule;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * RFP training on the GPU, float32, the same mathematics as
 * {@link org.rjepa.backend.cpu.CpuRfpLearner} on the diagonal circuit. All sequences of a
 * batch advance in lock step; at each fixation the launches are: the input projections, the
 * gated step, and, while a next fixation exists, the target embedding, the prediction and its
 * error, delta, the predictor's gradient and the fused trace update; then, per step or at the
 * end of the sequence, the batch-mean gradient and the optimizer step fused with the EMA.
 *
 * <p>Gradients are summed per chunk of {@value #CHUNK} sequences (in order of b inside a
 * chunk) and the chunks are summed in order, as on the CPU, so the result is the same on
 * every run: no atomics anywhere.
 *
 * <p>Host and device. The host's parameters, target and optimizer state are the truth
 * between batches: each {@link #train} copies them to the device with the batch (through
 * pinned memory, asynchronously on the learner's stream; the batch is packed while the state
 * is in flight), runs the batch, and copies them back, so checkpoints, evaluation and the
 * CPU path see the same objects. For the default sizes that is well under a megabyte each
 * way per batch.
 *
 * <p>Memory is owned here and freed by {@link #close}; it grows only when a batch's B or T
 * changes (the workspace is then reallocated).
 */
public final class CudaRfpLearner implements Learner {
    /** Sequences whose gradients are summed together before the chunks are summed. */
    static final int CHUNK = 8;

    private final Dimensions dims;
    private final CudaDevice gpu;
    private final CUstream stream = new CUstream();
    private boolean streamOpen;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final GatedStepKernel gatedStep;
    private final Projection projection;
    private final TargetEmbeddingKernel targetEmbedding;
    private final PredictionErrorKernel predictionError;
    private final RfpTracesKernel rfpTraces;
    private final OptimizerStepKernel optimizerStep;
    /** Offsets of the blocks in the flat parameter vector, in {@link Block} order; P long. */
    private final long[] offset = new long[Block.values().length];
    private final long P;
    /** Floats of the target: Wbar_c (n x m) then bbar_c (n), as W_c then b_c in the vector. */
    private final long barCount;
    /** The parameters, gradient, optimizer moments (two for Adam, one for SGD), target. */
    private final DeviceBuffer params;
    private final DeviceBuffer grad;
    private final DeviceBuffer first;
    private final DeviceBuffer second;
    private final DeviceBuffer bar;
    /** Pinned: params, first, second, bar, for the copies both ways. */
    private final PinnedBuffer state;
    private Workspace work;

    /** Opens the learner on device 0; the caller has checked {@link CudaProbe#status()}. */
    public static Learner open(Dimensions dims) {
        return new CudaRfpLearner(dims);
    }

    CudaRfpLearner(Dimensions dims) {
        if (dims.dense()) {
            throw new IllegalArgumentException("the CUDA backend has the diagonal circuit only");
        }
        this.dims = dims;
        this.gpu = CudaDevice.get();
        gpu.makeCurrent();
        this.projection = gpu.projection();
        this.gatedStep = new GatedStepKernel(gpu);
        this.targetEmbedding = new TargetEmbeddingKernel(gpu, projection);
        this.predictionError = new PredictionErrorKernel(gpu, projection);
        this.rfpTraces = new RfpTracesKernel(gpu);
        this.optimizerStep = new OptimizerStepKernel(gpu);
        long total = 0;
        for (Block b : Block.values()) {
            offset[b.ordinal()] = total;
            total += b.size(dims);
        }
        this.P = total;
        this.barCount = (long) dims.n() * dims.m() + dims.n();
        try {
            cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
            streamOpen = true;
            params = own(DeviceBuffer.floats(P));
            grad = own(DeviceBuffer.floats(P));
            first = own(DeviceBuffer.floats(P));
            second = own(DeviceBuffer.floats(P));
            bar = own(DeviceBuffer.floats(barCount));
            state = own(new PinnedBuffer((3 * P + barCount) * Float.BYTES));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public double train(FixationBatch batch, Parameters hostParams, Target target,
            UpdateRule rule) {
        int B = batch.B;
        int T = batch.T;
        int n = dims.n();
        int m = dims.m();
        int ms = dims.ms();
        gpu.makeCurrent();
        Workspace w = workspace(B, T);
        Optimizer optimizer = rule.optimizer();
        boolean adam = optimizer instanceof Adam;
        if (!adam && !(optimizer instanceof SgdMomentum)) {
            throw new IllegalArgumentException("the CUDA backend has Adam and SGD only, not "
                    + optimizer.name());
        }
        if (rule.guard() == Guard.VICREG) {
            throw new IllegalArgumentException("the CUDA backend has the guards ema and none, "
                    + "not vicreg");
        }

        // the host's state up, while the batch is packed into pinned memory, then the batch
        upload(hostParams, target, optimizer, adam);
        w.upload(batch);
        cuMemsetD32Async(w.traces.pointer, 0, w.traces.bytes / Float.BYTES, stream);
        cuMemsetD32Async(w.hPrev().pointer, 0, (long) B * n, stream);
        cuMemsetD32Async(w.partial.pointer, 0, w.partial.bytes / Float.BYTES, stream);
        cuMemsetD32Async(w.loss.pointer, 0, 2L * B, stream);

        boolean live = rule.guard().liveTarget();
        boolean follows = rule.guard() == Guard.EMA;
        CUdeviceptr WcTarget = live ? params.at(off(Block.Wc)) : bar.at(0);
        CUdeviceptr bcTarget = live ? params.at(off(Block.bc)) : bar.at((long) n * m);
        int ldu = T * m;
        int lds = T * ms;
        long updates = 0;
        long steps = optimizer.steps();
        for (int t = 0; t < T; t++) {
            CUdeviceptr u = w.u.at((long) t * m);

            // the circuit's step
            projection.project(stream, B, n, m, u, ldu, params.at(off(Block.Wa)), m,
                    params.at(off(Block.ba)), false, w.projA.pointer, n);
            projection.project(stream, B, n, m, u, ldu, params.at(off(Block.Wc)), m,
                    params.at(off(Block.bc)), false, w.projC.pointer, n);
            gatedStep.step(stream, B, n, w.projA.pointer, w.projC.pointer,
                    params.at(off(Block.ra)), params.at(off(Block.rc)), w.hPrev().pointer,
                    w.h().pointer, w.d.pointer, w.gA.pointer, w.gC.pointer);
            if (t == T - 1) {
                w.swap();
                break;
            }

            // the next fixation's target, the prediction, its error and delta
            CUdeviceptr s = w.s.at((long) t * ms);
            targetEmbedding.embed(stream, B, n, m, dims.mx(), w.u.at((long) (t + 1) * m), ldu,
                    WcTarget, bcTarget, w.z.pointer);
            predictionError.predict(stream, B, n, ms, params.at(off(Block.Ph)),
                    params.at(off(Block.Ps)), params.at(off(Block.bp)), w.h().pointer, s, lds,
                    w.e.pointer);
            predictionError.error(stream, B, n, T, w.e.pointer, w.z.pointer, w.diffs.pointer,
                    w.loss.pointer);
            predictionError.backProject(stream, B, n, params.at(off(Block.Ph)), w.e.pointer,
                    w.delta.pointer);

            // the gradients of the chunks: predictor, live target, traces
            predictionError.addGradient(stream, B, CHUNK, n, ms, w.e.pointer, w.h().pointer, s,
                    lds, w.partial.pointer, P, off(Block.Ph), off(Block.Ps), off(Block.bp));
            if (live) {
                targetEmbedding.addGradient(stream, B, CHUNK, n, m, dims.mx(), w.e.pointer,
                        w.z.pointer, w.u.at((long) (t + 1) * m), ldu, w.partial.pointer, P,
                        off(Block.Wc), off(Block.bc));
            }
            rfpTraces.update(stream, B, CHUNK, n, m, w.d.pointer, w.gA.pointer, w.gC.pointer,
                    w.hPrev().pointer, u, ldu, w.delta.pointer, w.traces.pointer,
                    w.partial.pointer, P);

            // the update: after every fixation, or once the last loss term is in
            if (rule.mode() == UpdateMode.PER_STEP || t == T - 2) {
                optimizerStep.mean(stream, w.C, P, B, w.partial.pointer, grad.pointer);
                updates++;
                step(optimizer, adam, steps + updates, rule.tau(), follows);
            }
            w.swap();
        }

        // everything back to the host
        download(hostParams, target, optimizer, adam);
        cuMemcpyDtoHAsync(w.lossHost.pointer, w.loss.pointer, (long) B * Double.BYTES, stream);
        cuStreamSynchronize(stream);
        optimizer.restoreSteps(steps + updates);
        DoubleBuffer losses = w.lossHost.view.asDoubleBuffer();
        double loss = 0;
        for (int b = 0; b < B; b++) {
            loss += losses.get(b);
        }
        return loss / B;
    }

    private void step(Optimizer optimizer, boolean adam, long steps, float tau,
            boolean follows) {
        long barStart = off(Block.Wc);
        if (adam) {
            Adam a = (Adam) optimizer;
            float[] scale = OptimizerStepCpu.adamScale(a.lr(), a.beta1(), a.beta2(), a.eps(),
                    steps);
            optimizerStep.adam(stream, P, params.pointer, grad.pointer, first.pointer,
                    second.pointer, a.beta1(), a.beta2(), scale[0], scale[1], bar.pointer,
                    barStart, barCount, tau, follows);
        } else {
            SgdMomentum sgd = (SgdMomentum) optimizer;
            optimizerStep.sgd(stream, P, params.pointer, grad.pointer, first.pointer, sgd.lr(),
                    sgd.momentum(), bar.pointer, barStart, barCount, tau, follows);
        }
    }

    /** Packs the host's state into pinned memory and copies it up on the stream. */
    private void upload(Parameters hostParams, Target target, Optimizer optimizer,
            boolean adam) {
        FloatBuffer view = state.view.asFloatBuffer();
        Map<String, Parameters> moments = optimizer.state();
        Parameters m1 = adam ? moments.get("adam.m") : moments.get("sgd.velocity");
        pack(view, 0, hostParams);
        pack(view, P, m1);
        if (adam) {
            pack(view, 2 * P, moments.get("adam.v"));
        }
        view.position((int) (3 * P));
        view.put(target.WcBar).put(target.bcBar);
        long bytes = P * Float.BYTES;
        cuMemcpyHtoDAsync(params.pointer, state.at(0), bytes, stream);
        cuMemcpyHtoDAsync(first.pointer, state.at(bytes), bytes, stream);
        if (adam) {
            cuMemcpyHtoDAsync(second.pointer, state.at(2 * bytes), bytes, stream);
        }
        cuMemcpyHtoDAsync(bar.pointer, state.at(3 * bytes), barCount * Float.BYTES, stream);
    }

    /** Copies the state down and unpacks it into the host's objects (after a sync). */
    private void download(Parameters hostParams, Target target, Optimizer optimizer,
            boolean adam) {
        long bytes = P * Float.BYTES;
        cuMemcpyDtoHAsync(state.at(0), params.pointer, bytes, stream);
        cuMemcpyDtoHAsync(state.at(bytes), first.pointer, bytes, stream);
        if (adam) {
            cuMemcpyDtoHAsync(state.at(2 * bytes), second.pointer, bytes, stream);
        }
        cuMemcpyDtoHAsync(state.at(3 * bytes), bar.pointer, barCount * Float.BYTES, stream);
        cuStreamSynchronize(stream);
        FloatBuffer view = state.view.asFloatBuffer();
        Map<String, Parameters> moments = optimizer.state();
        unpack(view, 0, hostParams);
        unpack(view, P, adam ? moments.get("adam.m") : moments.get("sgd.velocity"));
        if (adam) {
            unpack(view, 2 * P, moments.get("adam.v"));
        }
        view.position((int) (3 * P));
        view.get(target.WcBar).get(target.bcBar);
    }

    private void pack(FloatBuffer view, long at, Parameters p) {
        for (Block b : Block.values()) {
            view.position((int) (at + off(b)));
            view.put(p.get(b));
        }
    }

    private void unpack(FloatBuffer view, long at, Parameters p) {
        for (Block b : Block.values()) {
            view.position((int) (at + off(b)));
            view.get(p.get(b));
        }
    }

    private long off(Block b) {
        return offset[b.ordinal()];
    }

    private Workspace workspace(int B, int T) {
        if (work != null && work.B == B && work.T == T) {
            return work;
        }
        if (work != null) {
            owned.remove(work);
            work.close();
            work = null;
        }
        work = own(new Workspace(B, T));
        return work;
    }

    private <R extends AutoCloseable> R own(R resource) {
        owned.add(resource);
        return resource;
    }

    /** Bytes of the traces per sequence, counted from what the last batch allocated. */
    @Override
    public long stateBytesPerSequence() {
        return work == null ? 0 : work.traces.bytes / work.B;
    }

    @Override
    public String algorithm() {
        return "rfp";
    }

    @Override
    public String device() {
        return "cuda";
    }

    /** Frees every buffer this learner allocated, last first, and its stream. */
    @Override
    public void close() {
        gpu.makeCurrent();
        RuntimeException failure = null;
        for (int k = owned.size() - 1; k >= 0; k--) {
            try {
                owned.get(k).close();
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException(e) : failure;
            }
        }
        owned.clear();
        work = null;
        if (streamOpen) {
            streamOpen = false;
            cuStreamDestroy(stream);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** What a batch of B sequences of T fixations needs on the device. */
    private final class Workspace implements AutoCloseable {
        final int B;
        final int T;
        final int C;
        private final List<AutoCloseable> parts = new ArrayList<>();
        /** Inputs u [B][T][m] and saccade codes [B][T][ms], as FixationBatch's rows. */
        final DeviceBuffer u;
        final DeviceBuffer s;
        /** [B][n] each: the projections, the two states, d, g^a, g^c, z, e, delta, yhat - z. */
        final DeviceBuffer projA;
        final DeviceBuffer projC;
        private final DeviceBuffer[] states = new DeviceBuffer[2];
        private int current;
        final DeviceBuffer d;
        final DeviceBuffer gA;
        final DeviceBuffer gC;
        final DeviceBuffer z;
        final DeviceBuffer e;
        final DeviceBuffer delta;
        final DeviceBuffer diffs;
        /** Traces [B][2][Q]; per-chunk gradients [C][P]; loss per sequence, B doubles. */
        final DeviceBuffer traces;
        final DeviceBuffer partial;
        final DeviceBuffer loss;
        /** Pinned: the batch's u and s for the copy up, and the losses for the copy down. */
        final PinnedBuffer batchHost;
        final PinnedBuffer lossHost;

        Workspace(int B, int T) {
            this.B = B;
            this.T = T;
            this.C = (B + CHUNK - 1) / CHUNK;
            long rows = (long) B * dims.n();
            try {
                u = part(DeviceBuffer.floats((long) B * T * dims.m()));
                s = part(DeviceBuffer.floats((long) B * T * dims.ms()));
                projA = part(DeviceBuffer.floats(rows));
                projC = part(DeviceBuffer.floats(rows));
                states[0] = part(DeviceBuffer.floats(rows));
                states[1] = part(DeviceBuffer.floats(rows));
                d = part(DeviceBuffer.floats(rows));
                gA = part(DeviceBuffer.floats(rows));
                gC = part(DeviceBuffer.floats(rows));
                z = part(DeviceBuffer.floats(rows));
                e = part(DeviceBuffer.floats(rows));
                delta = part(DeviceBuffer.floats(rows));
                diffs = part(DeviceBuffer.floats(rows));
                traces = part(DeviceBuffer.floats(
                        B * 2L * RfpTracesKernel.blockFloats(dims.n(), dims.m())));
                partial = part(DeviceBuffer.floats(C * P));
                loss = part(DeviceBuffer.doubles(B));
                batchHost = part(new PinnedBuffer(
                        (long) B * T * (dims.m() + dims.ms()) * Float.BYTES));
                lossHost = part(new PinnedBuffer((long) B * Double.BYTES));
            } catch (RuntimeException failure) {
                close();
                throw failure;
            }
        }

        /** h_t of this fixation (written by the step). */
        DeviceBuffer h() {
            return states[1 - current];
        }

        /** h_{t-1} (read by the step). */
        DeviceBuffer hPrev() {
            return states[current];
        }

        /** h_t becomes h_{t-1}. */
        void swap() {
            current = 1 - current;
        }

        /** Packs the batch into pinned memory and copies it up on the stream. */
        void upload(FixationBatch batch) {
            FloatBuffer view = batchHost.view.asFloatBuffer();
            for (float[] row : batch.u) {
                view.put(row);
            }
            for (float[] row : batch.s) {
                view.put(row);
            }
            long uBytes = (long) B * T * dims.m() * Float.BYTES;
            cuMemcpyHtoDAsync(u.pointer, batchHost.at(0), uBytes, stream);
            if (dims.ms() > 0) {
                cuMemcpyHtoDAsync(s.pointer, batchHost.at(uBytes),
                        (long) B * T * dims.ms() * Float.BYTES, stream);
            }
            current = 0;
        }

        private <R extends AutoCloseable> R part(R resource) {
            parts.add(resource);
            return resource;
        }

        @Override
        public void close() {
            for (int k = parts.size() - 1; k >= 0; k--) {
                try {
                    parts.get(k).close();
                } catch (Exception ignored) {
                    // DeviceBuffer and PinnedBuffer close without checked exceptions
                }
            }
            parts.clear();
        }
    }
}
