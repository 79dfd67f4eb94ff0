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

    private final ServerSocket server;

    private LoopbackBackend(ServerSocket server) {
        this.server = server;
    }

    /** Starts serving on the backend port of the test (system property {@code itest.backend.port}). */
    static LoopbackBackend start(Handler handler) throws IOException {
        ServerSocket server = new ServerSocket(Integer.getInteger("itest.backend.port"), 50,
                InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread worker = new Thread(() -> {
                        try (socket) {
                            handler.serve(socket);
                        } catch (IOException e) {
                            // The proxy closed the connection.
                        }
                    });
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return new LoopbackBackend(server);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
