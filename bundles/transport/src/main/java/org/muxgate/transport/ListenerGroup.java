package org.muxgate.transport;

import java.util.Locale;

import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.StreamOpener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the listeners of one frontend share: its name, its mode, its
 * {@code maxconn}, where its streams go, and the rate limit of its "no mux" log
 * line. Any thread; immutable but for the log limit.
 */
public final class ListenerGroup {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerGroup.class);

    private final String name;
    private final ProtoMode mode;
    private final ConnectionLimit limit;
    private final StreamOpener opener;
    private final long handshakeTimeoutMillis;
    private final OncePerSecond missingMuxLog = new OncePerSecond();

    /**
     * @param name    the frontend's name, for logs
     * @param mode    what its connections carry
     * @param maxconn its {@code maxconn}, 0 for none
     * @param opener  where the streams of its connections go
     */
    public ListenerGroup(String name, ProtoMode mode, int maxconn, StreamOpener opener) {
        this(name, mode, maxconn, opener, 0);
    }

    /**
     * @param handshakeTimeoutMillis how long a TLS handshake may take, 0 for no limit:
     *                               HAProxy's {@code timeout client} applies to it
     * @see #ListenerGroup(String, ProtoMode, int, StreamOpener)
     */
    public ListenerGroup(String name, ProtoMode mode, int maxconn, StreamOpener opener, long handshakeTimeoutMillis) {
        this.name = name;
        this.mode = mode;
        this.limit = new ConnectionLimit(maxconn);
        this.opener = opener;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** @return the frontend's name */
    public String name() {
        return name;
    }

    /** @return what the frontend's connections carry */
    public ProtoMode mode() {
        return mode;
    }

    /** @return the frontend's {@code maxconn} */
    public ConnectionLimit limit() {
        return limit;
    }

    /** @return how long a TLS handshake may take, 0 for no limit */
    public long handshakeTimeoutMillis() {
        return handshakeTimeoutMillis;
    }

    StreamOpener opener() {
        return opener;
    }

    /**
     * A connection was closed because no mux could drive it: logs it unless this
     * frontend logged it less than a second ago. Any thread.
     *
     * @param now the scheduler's date
     * @return whether this call logged
     */
    boolean missingMux(long now, String proto) {
        if (!missingMuxLog.allow(now)) {
            return false;
        }
        LOG.warn("frontend {}: no mux for mode {}{}: new connections are closed until one is installed",
                name, mode.name().toLowerCase(Locale.ROOT), proto == null ? "" : " and proto " + proto);
        return true;
    }
}
