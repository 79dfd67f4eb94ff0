package org.muxgate.transport;

/**
 * What a selection key is attached to: a listener or a connection. Called by the
 * poller of the key's thread only, with the ready operations of the key.
 */
interface IoHandler {

    /**
     * @param pollerThread the worker thread of the poller dispatching the key
     * @param readyOps     the key's ready set, {@code SelectionKey.OP_*} bits
     */
    void ready(int pollerThread, int readyOps);
}
