package org.muxgate.transport;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers of one size ({@code tune.bufsize}), pooled so that the traffic path
 * allocates none once warm. Each worker thread has its own cache, touched without
 * locks; caches exchange batches with a shared reserve under the pool's lock when
 * they run empty or full. A buffer may be released on a thread other than the one
 * that took it.
 *
 * <p>Buffers are never freed: the pool grows to the largest number used at once,
 * which the connection limits bound.
 */
public final class BufferPool {

    /** HAProxy's default {@code tune.bufsize}. */
    public static final int DEFAULT_SIZE = 16384;

    /** Buffers a thread keeps for itself before returning half of them to the reserve. */
    static final int CACHE_MAX = 64;

    private final int size;
    /** Index = worker thread; each touched by its thread only. */
    private final ArrayDeque<ByteBuffer>[] caches;
    /** Guarded by {@code this}. */
    private final ArrayDeque<ByteBuffer> reserve = new ArrayDeque<>();
    /** Buffers ever allocated; guarded by {@code this}. */
    private long allocated;

    /**
     * @param size    bytes per buffer
     * @param threads worker threads that will use the pool
     */
    @SuppressWarnings("unchecked")
    public BufferPool(int size, int threads) {
        if (size < 1024) {
            throw new IllegalArgumentException("buffer size " + size + " is below 1024");
        }
        this.size = size;
        this.caches = new ArrayDeque[threads];
        for (int i = 0; i < threads; i++) {
            caches[i] = new ArrayDeque<>(CACHE_MAX);
        }
    }

    /** @return the size of every buffer */
    public int bufferSize() {
        return size;
    }

    /**
     * Takes a cleared buffer. Only on worker thread {@code thread}.
     *
     * @param thread the calling worker thread
     */
    public ByteBuffer acquire(int thread) {
        ArrayDeque<ByteBuffer> cache = caches[thread];
        ByteBuffer buffer = cache.pollLast();
        if (buffer == null) {
            buffer = refill(cache);
        }
        return buffer.clear();
    }

    /**
     * Gives a buffer back; it must not be used after. Only on worker thread {@code thread}.
     */
    public void release(int thread, ByteBuffer buffer) {
        ArrayDeque<ByteBuffer> cache = caches[thread];
        if (cache.size() >= CACHE_MAX) {
            spill(cache);
        }
        cache.addLast(buffer);
    }

    /** @return the buffers allocated so far: the pool's memory is this times the size */
    public synchronized long allocated() {
        return allocated;
    }

    /** Moves up to half a cache from the reserve, or allocates one buffer if it is empty. */
    private synchronized ByteBuffer refill(ArrayDeque<ByteBuffer> cache) {
        ByteBuffer first = reserve.pollLast();
        if (first == null) {
            allocated++;
            return ByteBuffer.allocateDirect(size);
        }
        for (int i = 1; i < CACHE_MAX / 2 && !reserve.isEmpty(); i++) {
            cache.addLast(reserve.pollLast());
        }
        return first;
    }

    private synchronized void spill(ArrayDeque<ByteBuffer> cache) {
        for (int i = 0; i < CACHE_MAX / 2; i++) {
            reserve.addLast(cache.pollFirst());
        }
    }
}
