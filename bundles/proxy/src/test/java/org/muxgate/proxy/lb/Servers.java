package org.muxgate.proxy.lb;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.muxgate.proxy.config.BalanceAlgorithm;
import org.muxgate.proxy.config.Server;

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
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8000);
        return new ServerState(new Server(name, 1, address, weight, maxconn, disabled, backup, null));
    }

    static LoadBalancer balancer(BalanceAlgorithm algorithm, ServerState... servers) {
        return LoadBalancer.create(algorithm, List.of(servers));
    }

    /** The names of {@code count} picks, each released at once, concatenated. */
    static String sequence(LoadBalancer balancer, int count) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < count; i++) {
            ServerState server = balancer.pick(ipv4(i), null);
            names.append(server.name());
            balancer.release(server);
        }
        return names.toString();
    }

    /** The names of {@code count} picks whose connections are kept, concatenated. */
    static String held(LoadBalancer balancer, int count) {
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < count; i++) {
            names.append(balancer.pick(ipv4(i), null).name());
        }
        return names.toString();
    }

    /** How many times each server is picked, one pick per client, each released at once. */
    static Map<String, Integer> counts(LoadBalancer balancer, List<InetAddress> clients) {
        Map<String, Integer> counts = new TreeMap<>();
        for (InetAddress client : clients) {
            ServerState server = balancer.pick(client, null);
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
