package org.muxgate.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets something happen at most once per second: a log line that an event could
 * otherwise repeat at the connection rate. Any thread, lock-free.
 */
public final class OncePerSecond {

    /** The date of the last time it was allowed; far in the past at first. */
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE / 2);

    /**
     * @param now a date in milliseconds, such as the scheduler's
     * @return whether it may happen now; if so, not again for a second
     */
    public boolean allow(long now) {
        long previous = last.get();
        return now - previous >= 1000 && last.compareAndSet(previous, now);
    }
}
