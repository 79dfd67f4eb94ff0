package org.muxgate.transport;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.api.transport.StreamOpener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The muxes available now and the connections using them: Muxgate's
 * {@code register_mux_proto}. Mux bundles come and go; in OSGi a component tracks
 * their {@link MuxProto} services (the whiteboard; the component extends this class,
 * which is not final for that reason only) and calls {@link #register} and
 * {@link #unregister}; a unit test calls them by hand.
 *
 * <p>Choosing a mux for a connection ({@link #select}): an explicit {@code proto}
 * wins, else the ALPN token, else the first registered protocol for the mode and
 * side that {@link MuxProto#servesByDefault() serves by default}.
 *
 * <p>Threads: any. The protocols are a copy-on-write list; the connections a
 * concurrent set that connections join when created and leave when closed. A
 * provider leaving and a mux being installed race without a lock: the installer
 * publishes the protocol on the connection and then checks the provider is still
 * there; the leaver removes the provider and then sweeps the connections, so one of
 * the two always sees the other.
 */
public class MuxRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MuxRegistry.class);

    /** How long {@link #unregister} waits for the connections of a leaving mux to close. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private final List<MuxProto> protos = new CopyOnWriteArrayList<>();
    private final Set<NioConnection> connections = ConcurrentHashMap.newKeySet();

    /** Makes a mux available. Any thread. */
    public void register(MuxProto proto) {
        protos.add(proto);
        LOG.debug("mux {} ({} {}) available", proto.token(), proto.mode(), proto.side());
    }

    /**
     * Makes a mux unavailable and closes the connections it drives, cleanly, each on
     * its thread. Unless called on a worker thread, waits until they are closed, so
     * that a stopping mux bundle's code no longer runs once this returns.
     */
    public void unregister(MuxProto proto) {
        if (!protos.remove(proto)) {
            return;
        }
        int closing = closeConnections(connection -> connection.proto() == proto);
        if (closing > 0) {
            LOG.info("mux {} removed: closing its {} connections", proto.token(), closing);
        }
    }

    /** @return the protocols registered now, in registration order */
    public List<MuxProto> protos() {
        return List.copyOf(protos);
    }

    /**
     * Chooses the mux of a connection.
     *
     * @param proto the {@code proto} of the bind or server line, or null
     * @param alpn  the protocol negotiated by ALPN, or null
     * @param side  FRONTEND or BACKEND
     * @return the protocol to use, or null if none is registered
     */
    public MuxProto select(String proto, String alpn, ProtoMode mode, ProtoSide side) {
        if (proto != null) {
            return find(p -> p.token().equals(proto) && p.side().covers(side));
        }
        if (alpn != null) {
            MuxProto byAlpn = find(p -> p.token().equals(alpn) && p.mode() == mode && p.side().covers(side));
            if (byAlpn != null) {
                return byAlpn;
            }
            if (mode == ProtoMode.HTTP && !alpn.startsWith("http/1.")) {
                // The peer expects that protocol (h2): speaking HTTP/1 would only confuse it.
                return null;
            }
        }
        return find(p -> p.mode() == mode && p.side().covers(side) && p.servesByDefault());
    }

    private MuxProto find(Predicate<MuxProto> matches) {
        for (MuxProto p : protos) {
            if (matches.test(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Selects a mux and installs it on a connection. On the connection's thread.
     *
     * @return the mux, or null when none is available or it could not start; the
     *         caller then closes the connection
     */
    public Mux install(NioConnection connection, String proto, ProtoMode mode, ProtoSide side, StreamOpener opener) {
        MuxProto selected = select(proto, connection.alpn(), mode, side);
        if (selected == null) {
            return null;
        }
        connection.setProto(selected);
        if (!protos.contains(selected)) {
            // It left between select and now: its sweep may have missed this connection.
            connection.setProto(null);
            return null;
        }
        Mux mux = selected.create(connection, opener);
        connection.setMux(mux);
        return mux;
    }

    /**
     * Asks the connections that match to stop gracefully ({@link NioConnection#requestGracefulStop()})
     * and waits until they are closed or {@code graceMillis} have passed, unless called
     * on a worker thread. Any thread.
     */
    void stopConnections(Predicate<NioConnection> matches, long graceMillis) {
        for (NioConnection connection : connections) {
            if (matches.test(connection)) {
                connection.requestGracefulStop();
            }
        }
        if (SelectorPoller.current() == null) {
            awaitClosed(matches, graceMillis, false);
        }
    }

    /**
     * Requests the close of the connections that match and waits for them, unless
     * called on a worker thread. Any thread.
     *
     * @return the connections asked to close
     */
    int closeConnections(Predicate<NioConnection> matches) {
        int closing = 0;
        for (NioConnection connection : connections) {
            if (matches.test(connection)) {
                connection.requestClose();
                closing++;
            }
        }
        if (closing > 0 && SelectorPoller.current() == null) {
            awaitClosed(matches, CLOSE_WAIT_MILLIS, true);
        }
        return closing;
    }

    /** @param warn whether connections still open at the end deserve a warning */
    private void awaitClosed(Predicate<NioConnection> matches, long waitMillis, boolean warn) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        while (connections.stream().anyMatch(matches)) {
            if (System.nanoTime() > deadline) {
                if (warn) {
                    LOG.warn("connections still open {} ms after their close was requested", waitMillis);
                }
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The live connections, which join when created and leave when closed. */
    Set<NioConnection> connections() {
        return connections;
    }

    /** @return the connections open now */
    public int connectionCount() {
        return connections.size();
    }
}
