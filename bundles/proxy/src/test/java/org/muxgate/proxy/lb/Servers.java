package org.muxgate.proxy.lb;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.muxgate.proxy.config.Balance;
import org.muxgate.proxy.config.BalanceAlgorithm;
import org.muxgate.proxy.config.Server;
import org.muxgate.proxy.config.ServerCheck;
import org.muxgate.proxy.config.ServerLimits;
import org.muxgate.proxy.config.ServerPoolSettings;

/** Builds servers and balancers for the tests, and records what balancers pick. */
final class Servers {

    private Servers() {
    }

    static ServerState active(String name, int weight) {
        return state(name, weight, 0, false, false);
    }

    static ServerState active(String name, int weight, int maxconn) {
        return state(name, weight, maxconn, false, false);
    }

    static ServerState backup(String name, int maxconn) {
        return state(name, Server.DEFAULT_WEIGHT, maxconn, false, true);
    }

    static ServerState disabled(String name) {
        return state(name, Server.DEFAULT_WEIGHT, 0, true, false);
    }

    static ServerState state(String name, int weight, int maxconn, boolean disabled, boolean backup) {
        return limited(name, weight, maxconn, disabled, backup, ServerLimits.NONE);
    }

    static ServerState limited(String name, int weight, int maxconn, boolean disabled, boolean backup,
            ServerLimits limits) {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8000);
        return new ServerState(new Server(name, 1, address, weight, maxconn, disabled, backup, null,
                ServerPoolSettings.DEFAULT, ServerCheck.NONE, limits));
    }

    /** An active server whose own queue holds {@code maxqueue} requests at most. */
    static ServerState withMaxqueue(String name, int maxconn, int maxqueue) {
        return limited(name, Server.DEFAULT_WEIGHT, maxconn, false, false, new ServerLimits(maxqueue, Duration.ZERO, false,
                false));
    }

    static LoadBalancer balancer(BalanceAlgorithm algorithm, ServerState... servers) {
        return LoadBalancer.create(Balance.of(algorithm), List.of(servers));
    }

    /** A request's waiter that counts its wake-ups. */
    static final class Request extends Waiter {
        int wakeups;

        @Override
        protected void wake() {
            wakeups++;
        }
    }

    /**
     * A pick for a client, keyed by its address (hashed algorithms hash it like
     * {@code source}), with a waiter of its own.
     *
     * @return the server, or null if none is usable or the request was queued
     */
    static ServerState pick(LoadBalancer balancer, InetAddress client, ServerState avoid) {
        return pick(balancer, client, avoid, new Request());
    }

    static ServerState pick(LoadBalancer balancer, InetAddress client, ServerState avoid, Waiter waiter) {
        return balancer.pick(0, LoadBalancer.sourceKey(client), avoid, waiter);
    }

    /** The names of {@code count} picks, each released at once, concatenated. */
    static String sequence(LoadBalancer balancer, int count) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < count; i++) {
            ServerState server = pick(balancer, ipv4(i), null);
            names.append(server.name());
            balancer.release(server);
        }
        return names.toString();
    }

    /** The names of {@code count} picks whose connections are kept, concatenated. */
    static String held(LoadBalancer balancer, int count) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < count; i++) {
            names.append(pick(balancer, ipv4(i), null).name());
        }
        return names.toString();
    }

    /** How many times each server is picked, one pick per client, each released at once. */
    static Map<String, Integer> counts(LoadBalancer balancer, List<InetAddress> clients) {
        Map<String, Integer> counts = new TreeMap<>();
        for (InetAddress client : clients) {
            ServerState server = pick(balancer, client, null);
            counts.merge(server.name(), 1, Integer::sum);
            balancer.release(server);
        }
        return counts;
    }

    static List<InetAddress> sameClient(int count) {
        List<InetAddress> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(ipv4(7));
        }
        return clients;
    }

    /** 10.x.y.z, counting from 10.0.0.0. */
    static InetAddress ipv4(int index) {
        return address(ByteBuffer.allocate(4).putInt(0x0a000000 + index).array());
    }

    static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }
}
