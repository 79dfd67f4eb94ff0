package org.muxgate.proxy.lb;

import java.net.InetAddress;

/**
 * The part of an algorithm that differs from one algorithm to another: choosing one
 * server among the eligible ones of a pick. The rules shared by all algorithms
 * (usable servers, backups, maxconn, the server to avoid) are applied before, by
 * {@link Candidates}.
 *
 * <p>Called only under the balancer's lock, so implementations keep their state in
 * plain fields; they must not allocate.
 */
interface Strategy {

    /**
     * @param candidates the snapshot of this pick, with at least one eligible server
     * @param client     the client's address, or null
     * @return the index of an eligible server
     */
    int choose(Candidates candidates, InetAddress client);
}
