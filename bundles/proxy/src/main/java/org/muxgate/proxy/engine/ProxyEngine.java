package org.muxgate.proxy.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.muxgate.api.scheduler.Scheduler;
import org.muxgate.proxy.lb.ServerState;
import org.muxgate.proxy.config.Backend;
import org.muxgate.proxy.config.Bind;
import org.muxgate.proxy.config.Configuration;
import org.muxgate.proxy.config.Frontend;
import org.muxgate.transport.Listener;
import org.muxgate.transport.ListenerGroup;
import org.muxgate.transport.MuxRegistry;
import org.muxgate.transport.Transport;

/**
 * A configuration running: its frontends listening, its backends balancing, on a
 * scheduler whose threads poll with the transport's selectors. Plain Java: the
 * OSGi component builds one from the file; a test builds one from a parsed
 * {@link Configuration}.
 *
 * <p>Threads: {@link #start()} and {@link #stop()} from one management thread
 * (not a worker thread), one after the other.
 */
public final class ProxyEngine {

    private final Configuration configuration;
    private final Transport transport;
    private final Map<String, BackendRuntime> backends = new HashMap<>();
    private final Map<String, List<Listener>> listeners = new HashMap<>();

    public ProxyEngine(Configuration configuration, Scheduler scheduler, MuxRegistry registry) {
        this.configuration = configuration;
        this.transport = new Transport(scheduler, registry, configuration.global().bufsize(),
                configuration.global().maxconn());
        for (Backend backend : configuration.backends()) {
            backends.put(backend.name(), new BackendRuntime(backend, transport));
        }
    }

    /**
     * Opens every frontend's listeners. All or nothing: if one address cannot be
     * bound, those already opened are closed.
     *
     * @throws IOException naming the frontend and the address that failed
     */
    public void start() throws IOException {
        try {
            for (Frontend frontend : configuration.frontends()) {
                open(frontend);
            }
            int thread = 0;
            for (BackendRuntime backend : backends.values()) {
                thread = backend.startChecks(transport, thread);
            }
        } catch (IOException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    private void open(Frontend frontend) throws IOException {
        FrontendRuntime runtime = new FrontendRuntime(frontend, backends, transport, configuration.global());
        ListenerGroup group = runtime.group;
        List<Listener> opened = new ArrayList<>();
        listeners.put(frontend.name(), opened);
        for (Bind bind : frontend.binds()) {
            for (InetSocketAddress address : bind.addresses()) {
                try {
                    opened.add(transport.listen(group, address, bind.proto(), bind.tls()));
                } catch (IOException e) {
                    throw new IOException("frontend " + frontend.name() + ": cannot bind " + format(address) + ": "
                            + e.getMessage(), e);
                }
            }
        }
    }

    /** {@code 127.0.0.1:80}, {@code [::1]:80}: as a bind line writes it. */
    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** Stops the listeners and closes every connection, waiting until they are closed. */
    public void stop() {
        backends.values().forEach(BackendRuntime::stopChecks);
        transport.stop(configuration.global().hardStopAfter().toMillis());
        listeners.clear();
    }

    /** @return the addresses a frontend listens on, with the ports the system chose for port 0 */
    public List<InetSocketAddress> addresses(String frontend) {
        return listeners.getOrDefault(frontend, List.of()).stream().map(Listener::address).toList();
    }

    /**
     * @return the live state of a server, for its statistics and the CLI, or null
     *         when there is no such server
     */
    public ServerState server(String backend, String server) {
        BackendRuntime runtime = backends.get(backend);
        return runtime == null ? null : runtime.balancer.servers().stream()
                .filter(state -> state.name().equals(server)).findFirst().orElse(null);
    }

    /**
     * Changes a server's weight at run time, as HAProxy's {@code set server BACKEND/SERVER
     * weight N}: roundrobin, leastconn, random and consistent hashing use it from the next
     * pick; static-rr and map-based hashing keep the startup weight, except that 0 drains
     * the server under every algorithm. Requests waiting for a slot are served at once
     * if the change frees one. Any thread.
     *
     * @throws IllegalArgumentException if there is no such server, or the weight is not 0 to 256
     */
    public void setWeight(String backend, String server, int weight) {
        BackendRuntime runtime = backends.get(backend);
        ServerState state = server(backend, server);
        if (state == null) {
            throw new IllegalArgumentException("no server '" + server + "' in backend '" + backend + "'");
        }
        state.setWeight(weight);
        runtime.balancer.stateChanged(state, transport.scheduler().now());
    }

    /**
     * @return the requests waiting in a backend's queue and its servers' queues (HAProxy's
     *         qcur), for statistics, or -1 when there is no such backend
     */
    public int queueLength(String backend) {
        BackendRuntime runtime = backends.get(backend);
        return runtime == null ? -1 : runtime.queueLength();
    }

    /** @return the transport, for its counters */
    public Transport transport() {
        return transport;
    }
}
