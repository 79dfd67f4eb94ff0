package org.muxgate.transport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code maxconn}: the process's (global) or a frontend's. Listeners take a slot
 * before accepting and pause when none is left; a connection ending gives its slot
 * back and wakes the paused listeners, which resume.
 *
 * <p>Any thread. Lock-free: a listener pauses, then checks the count again; a
 * connection ending lowers the count, then looks for paused listeners. One of the
 * two always sees the other, so a listener never stays paused below the limit.
 */
public final class ConnectionLimit {

    private final int max;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** @param max the limit; 0 or less means none */
    public ConnectionLimit(int max) {
        this.max = max <= 0 ? Integer.MAX_VALUE : max;
    }

    /** @return whether a slot was taken */
    boolean tryAcquire() {
        while (true) {
            int current = count.get();
            if (current >= max) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives a slot back and wakes the listeners paused by this limit. */
    void release() {
        count.decrementAndGet();
        for (Listener listener : listeners) {
            if (listener.isPaused()) {
                listener.wakeToResume();
            }
        }
    }

    /** @return whether a slot is free now */
    boolean hasRoom() {
        return count.get() < max;
    }

    /** @return the connections counted now */
    public int current() {
        return count.get();
    }

    /** Makes a listener one that a release wakes. */
    void add(Listener listener) {
        listeners.add(listener);
    }

    void remove(Listener listener) {
        listeners.remove(listener);
    }
}
