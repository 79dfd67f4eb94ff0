package org.muxgate.proxy.engine;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking backend server on 127.0.0.1, one thread per connection, running a
 * given behaviour. Closes everything it opened.
 */
final class TestServer implements Closeable {

    /** What the server does with each accepted connection. */
    interface Behaviour {
        void serve(Socket socket) throws IOException;
    }

    /** Sends back what it reads, then closes at end of stream. */
    static final Behaviour ECHO = socket -> socket.getInputStream().transferTo(socket.getOutputStream());

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();

    TestServer(Behaviour behaviour) throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    sockets.add(socket);
                    Thread worker = new Thread(() -> {
                        try (socket) {
                            behaviour.serve(socket);
                        } catch (IOException e) {
                            // The proxy closed the connection: the behaviour ends there.
                        }
                    }, "test-server-connection");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "test-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
