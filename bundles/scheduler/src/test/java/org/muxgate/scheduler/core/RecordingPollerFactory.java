package org.muxgate.scheduler.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;

import org.muxgate.api.scheduler.Poller;
import org.muxgate.api.scheduler.PollerFactory;

/**
 * A poller factory wrapping {@link ParkingPoller#FACTORY} that records what the
 * scheduler does with its pollers: who created them, every poll timeout, wakeups
 * and closes. It may also be told to fail for some threads.
 */
final class RecordingPollerFactory implements PollerFactory {

    /** Timeouts kept per poller: enough for the tests, bounded for busy loops. */
    private static final int MAX_RECORDED_POLLS = 100_000;

    private final IntPredicate failFor;
    private final Map<Integer, RecordingPoller> pollers = new ConcurrentHashMap<>();
    /** Every call to newPoller: the thread argument and the calling thread, in call order. */
    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    record Call(int thread, Thread caller) {
    }

    RecordingPollerFactory() {
        this(thread -> false);
    }

    /** @param failFor the threads whose poller creation throws */
    RecordingPollerFactory(IntPredicate failFor) {
        this.failFor = failFor;
    }

    @Override
    public Poller newPoller(int thread) {
        calls.add(new Call(thread, Thread.currentThread()));
        if (failFor.test(thread)) {
            throw new IllegalStateException("test poller factory fails for thread " + thread);
        }
        RecordingPoller poller = new RecordingPoller(ParkingPoller.FACTORY.newPoller(thread));
        pollers.put(thread, poller);
        return poller;
    }

    RecordingPoller poller(int thread) {
        return pollers.get(thread);
    }

    List<Thread> callers() {
        synchronized (calls) {
            return calls.stream().map(Call::caller).toList();
        }
    }

    static final class RecordingPoller implements Poller {

        private final Poller delegate;
        private final List<Long> timeouts = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong wakeups = new AtomicLong();
        final AtomicInteger closes = new AtomicInteger();
        volatile Thread closedOn;
        /** Set while in a poll that may block. */
        volatile boolean blocking;

        RecordingPoller(Poller delegate) {
            this.delegate = delegate;
        }

        @Override
        public void poll(long timeoutMillis) {
            if (timeouts.size() < MAX_RECORDED_POLLS) {
                timeouts.add(timeoutMillis);
            }
            blocking = timeoutMillis != 0;
            try {
                delegate.poll(timeoutMillis);
            } finally {
                blocking = false;
            }
        }

        @Override
        public void wakeup() {
            wakeups.incrementAndGet();
            delegate.wakeup();
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            closedOn = Thread.currentThread();
            delegate.close();
        }

        /** @return the number of polls recorded so far */
        int polls() {
            return timeouts.size();
        }

        long timeout(int index) {
            return timeouts.get(index);
        }
    }
}
