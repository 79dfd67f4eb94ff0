package org.muxgate.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

import org.muxgate.api.scheduler.Poller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller of one worker thread: an NIO selector whose ready keys are handed to
 * their {@link IoHandler} through {@link Selector#select(Consumer, long)}, without
 * the selected-key set and its garbage. The handlers wake the subscribed tasklets,
 * which the scheduler runs right after the poll.
 *
 * <p>Only the worker thread that created it registers channels in it and polls it
 * ({@link #current()} finds it); {@link #wakeup()} is the one method other
 * threads call, and the scheduler calls it only when the thread sleeps.
 */
public final class SelectorPoller implements Poller {

    private static final Logger LOG = LoggerFactory.getLogger(SelectorPoller.class);

    /** The poller of the calling worker thread, set as the thread creates it. */
    private static final ThreadLocal<SelectorPoller> CURRENT = new ThreadLocal<>();

    private final Selector selector;
    private final int thread;
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    /** Where this thread's connections drain unexpected data; allocated on first use. */
    private ByteBuffer drainBuffer;

    /** Called on the worker thread {@code thread}, as it starts. */
    SelectorPoller(int thread) {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for worker thread " + thread, e);
        }
        this.thread = thread;
        CURRENT.set(this);
    }

    /**
     * @return the poller of the calling worker thread, or null when the thread is not
     *         a worker thread of a scheduler using these pollers
     */
    public static SelectorPoller current() {
        return CURRENT.get();
    }

    /** @return the index of the worker thread this poller belongs to */
    public int thread() {
        return thread;
    }

    /**
     * Registers a channel, non-blocking already, with interest {@code ops}. Only on
     * this poller's thread.
     */
    SelectionKey register(SelectableChannel channel, IoHandler handler, int ops) throws IOException {
        try {
            return channel.register(selector, ops, handler);
        } catch (CancelledKeyException e) {
            // The channel left this selector a moment ago (a connection taken over, then
            // back) and its old key is still to be flushed, which a select does.
            selector.selectNow(dispatch);
            return channel.register(selector, ops, handler);
        }
    }

    /** @return this thread's scratch buffer for discarded data; only on this poller's thread */
    ByteBuffer drainBuffer() {
        if (drainBuffer == null) {
            drainBuffer = ByteBuffer.allocateDirect(4096);
        }
        return drainBuffer;
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        try {
            ((IoHandler) key.attachment()).ready(thread, key.readyOps());
        } catch (RuntimeException e) {
            // A handler's bug must not end the worker thread and every connection on it.
            LOG.error("{} failed on I/O readiness; closing it", key.attachment(), e);
            closeQuietly(key.channel());
        }
    }

    @Override
    public void poll(long timeoutMillis) {
        try {
            if (timeoutMillis == 0) {
                selector.selectNow(dispatch);
            } else {
                selector.select(dispatch, timeoutMillis == FOREVER ? 0 : timeoutMillis);
            }
        } catch (IOException e) {
            // A selector failing is a broken OS resource; the loop goes on and retries.
            LOG.error("worker thread {}: select failed", thread, e);
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    /**
     * Closes every channel still registered, so that a stopping scheduler leaks no
     * socket, then the selector. On the worker thread, as it ends. A connection that
     * never needed readiness is not registered: its transport's stop closes it.
     */
    @Override
    public void close() {
        CURRENT.remove();
        try {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            LOG.warn("worker thread {}: closing the selector failed", thread, e);
        }
    }

    static void closeQuietly(SelectableChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing never fails in a way we could act on: the descriptor is released.
        }
    }
}
