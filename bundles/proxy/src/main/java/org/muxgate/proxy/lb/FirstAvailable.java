package org.muxgate.proxy.lb;

/**
 * {@code balance first}: the first eligible server in declaration order (HAProxy
 * orders by server id, which defaults to the declaration order). Since the shared
 * rules prefer servers with a free slot, each server is filled up to its maxconn
 * before the next one gets a connection; weights are ignored, as in HAProxy.
 *
 * When every server is full, the request waits in the backend's queue.
 *
 * <p>Also the choice among backups, where HAProxy uses only the first usable one.
 */
final class FirstAvailable implements Strategy {

    @Override
    public int choose(Candidates candidates, long key) {
        int index = 0;
        while (!candidates.eligible(index)) {
            index++;
        }
        return index;
    }
}
