package org.muxgate.itests.felix;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The server behind the proxy in a Felix test: a loopback server socket on the port
 * {@link FelixRuntime#proxyTest} gave the backend, one daemon thread per connection
 * running the test's handler. Runs inside the framework, in the test's class loader.
 */
final class LoopbackBackend implements AutoCloseable {

    /** What the server does with one connection; the socket is closed after it returns. */
    @FunctionalInterface
    interface Handler {
        void serve(Socket socket) throws IOException;
    }

    /**
     * One listener per test JVM, open from the first test to the end: closing it between
     * tests would free its port, which is an ephemeral one, for the local end of any
     * outgoing connection, and the next test could not listen on it again.
     */
    private static LoopbackBackend running;

    private final ServerSocket server;
    /** What serves the connections accepted from now on; null between tests. */
    private volatile Handler handler;

    private LoopbackBackend(ServerSocket server) {
        this.server = server;
    }

    /** Serves on the backend port of the test (system property {@code itest.backend.port}) with {@code handler}. */
    static synchronized LoopbackBackend start(Handler handler) throws IOException {
        if (running == null) {
            ServerSocket server = new ServerSocket(Integer.getInteger("itest.backend.port"), 50,
                    InetAddress.getLoopbackAddress());
            running = new LoopbackBackend(server);
            Thread acceptor = new Thread(running::accept, "itest-backend");
            acceptor.setDaemon(true);
            acceptor.start();
        }
        running.handler = handler;
        return running;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            Handler current = handler;
            Thread worker = new Thread(() -> {
                try (socket) {
                    if (current != null) {
                        current.serve(socket);
                    }
                } catch (IOException e) {
                    // The proxy closed the connection.
                }
            });
            worker.setDaemon(true);
            worker.start();
        }
    }

    /** The test is over: connections accepted from now on are closed at once; the port stays taken. */
    @Override
    public void close() {
        handler = null;
    }
}
