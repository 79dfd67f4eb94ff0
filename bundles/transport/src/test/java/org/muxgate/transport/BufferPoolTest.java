package org.muxgate.transport;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

/** The buffer pool, used directly with thread indexes as a worker thread would. */
public class BufferPoolTest {

    @Test
    public void buffersHaveTheSizeAndComeBackCleared() {
        BufferPool pool = new BufferPool(16384, 1);
        ByteBuffer buffer = pool.acquire(0);
        assertTrue(buffer.isDirect());
        assertEquals(16384, buffer.capacity());
        buffer.put((byte) 1).flip();
        pool.release(0, buffer);
        ByteBuffer again = pool.acquire(0);
        assertSame(buffer, again);
        assertEquals(0, again.position());
        assertEquals(16384, again.limit());
    }

    @Test
    public void memoryIsBoundedByTheBuffersUsedAtOnce() {
        BufferPool pool = new BufferPool(1024, 2);
        for (int round = 0; round < 50; round++) {
            List<ByteBuffer> held = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                held.add(pool.acquire(round % 2));
            }
            // Released on the other thread, as when a stream migrates.
            for (ByteBuffer buffer : held) {
                pool.release((round + 1) % 2, buffer);
            }
        }
        assertTrue("allocated " + pool.allocated(), pool.allocated() <= 100 + BufferPool.CACHE_MAX);
    }

    @Test(expected = IllegalArgumentException.class)
    public void tinyBuffersAreRefused() {
        new BufferPool(16, 1);
    }
}
