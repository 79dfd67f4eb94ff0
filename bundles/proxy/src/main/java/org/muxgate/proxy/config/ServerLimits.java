package org.muxgate.proxy.config;

import java.time.Duration;

/**
 * What a server does with the connections beyond its slots and around its state
 * changes.
 *
 * @param maxqueue            the requests waiting in the server's own queue at most
 *                            ({@code maxqueue}), 0 for no limit; beyond it, requests hashed
 *                            to the server go to another one
 * @param slowstart           after the server comes back up, the time over which its weight
 *                            and maxconn ramp up from nearly 0 ({@code slowstart}); zero for none
 * @param shutdownOnDown      whether its sessions are closed when a check marks it down
 *                            ({@code on-marked-down shutdown-sessions})
 * @param shutdownBackupsOnUp whether the sessions of the backend's backup servers are closed
 *                            when a check marks it up ({@code on-marked-up shutdown-backup-sessions})
 */
public record ServerLimits(int maxqueue, Duration slowstart, boolean shutdownOnDown, boolean shutdownBackupsOnUp) {

    /** HAProxy's defaults: no queue limit, no slow start, sessions kept. */
    public static final ServerLimits NONE = new ServerLimits(0, Duration.ZERO, false, false);
}
