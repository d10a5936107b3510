package org.rjepa.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * Runs work on fixed chunks of a batch across a fixed number of threads. Each chunk writes
 * only its own memory and results are combined in chunk order, so the result does not
 * depend on the number of threads.
 */
final class ChunkPool implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;

    ChunkPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "rjepa-cpu");
            t.setDaemon(true);
            return t;
        });
    }

    int threads() {
        return threads;
    }

    /** Calls {@code work} once for each chunk in {@code [0, chunks)} and waits for all. */
    void forEach(int chunks, IntConsumer work) {
        if (pool == null || chunks == 1) {
            for (int c = 0; c < chunks; c++) {
                work.accept(c);
            }
            return;
        }
        List<Callable<Void>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int chunk = c;
            tasks.add(() -> {
                work.accept(chunk);
                return null;
            });
        }
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
