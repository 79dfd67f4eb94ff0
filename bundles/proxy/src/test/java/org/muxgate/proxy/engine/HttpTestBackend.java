package org.muxgate.proxy.engine;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 backend on 127.0.0.1 that records every byte it receives, per
 * connection, parses requests strictly ({@link HttpWire}) and answers each with
 * what its responder gives. A request it cannot parse stops the parsing of its
 * connection; the bytes that follow are still recorded.
 */
final class HttpTestBackend implements Closeable {

    /** The answer to every request unless told otherwise. */
    static final String OK = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";

    /** What the backend answers to a request. */
    interface Responder {
        /**
         * @param index the request's index on its connection, from 0
         * @return the bytes to send back, or null to close the connection
         */
        byte[] respond(HttpWire.Message request, int index, Socket socket) throws IOException;
    }

    /** One accepted connection. */
    static final class Connection {
        final Socket socket;
        final List<HttpWire.Message> requests = new CopyOnWriteArrayList<>();
        private final ByteArrayOutputStream unparsed = new ByteArrayOutputStream();
        volatile String error;
        volatile boolean ended;

        Connection(Socket socket) {
            this.socket = socket;
        }

        synchronized byte[] unparsed() {
            return unparsed.toByteArray();
        }
    }

    private final ServerSocket server;
    private final Responder responder;
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();

    HttpTestBackend() throws IOException {
        this(fixed(OK));
    }

    HttpTestBackend(Responder responder) throws IOException {
        this(responder, 0);
    }

    /**
     * A backend on {@code port} of 127.0.0.1, or an ephemeral port for 0: a server
     * restarting on the port of a backend closed before, whose connections may
     * linger in TIME_WAIT (hence SO_REUSEADDR).
     */
    HttpTestBackend(Responder responder, int port) throws IOException {
        this.responder = responder;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        Thread acceptor = new Thread(this::accept, "http-test-backend");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static Responder fixed(String response) {
        byte[] bytes = response.getBytes(StandardCharsets.ISO_8859_1);
        return (request, index, socket) -> bytes;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            Connection connection = new Connection(socket);
            connections.add(connection);
            if (server.isClosed()) {
                // Accepted as close() ran, which may have missed it: no connection outlives the backend.
                closeQuietly(socket);
                return;
            }
            accepted.incrementAndGet();
            Thread worker = new Thread(() -> serve(connection), "http-test-backend-connection");
            worker.setDaemon(true);
            worker.start();
        }
    }

    private void serve(Connection connection) {
        try (Socket socket = connection.socket) {
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            try {
                for (int index = 0;; index++) {
                    HttpWire.Message request = HttpWire.read(in, false, false);
                    if (request == null) {
                        return;
                    }
                    connection.requests.add(request);
                    byte[] response = responder.respond(request, index, socket);
                    if (response == null) {
                        return;
                    }
                    out.write(response);
                    out.flush();
                }
            } catch (java.net.ProtocolException | java.io.EOFException | NumberFormatException e) {
                connection.error = String.valueOf(e);
                // Keep recording what comes until the proxy closes.
                byte[] chunk = new byte[4096];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    synchronized (connection) {
                        connection.unparsed.write(chunk, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            // The proxy reset the connection: what was read is recorded.
        } finally {
            connection.ended = true;
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** @return every request received, on every connection, in the order of the connections */
    List<HttpWire.Message> requests() {
        List<HttpWire.Message> all = new ArrayList<>();
        for (Connection connection : connections) {
            all.addAll(connection.requests);
        }
        return all;
    }

    /** A description of everything received, for assertion messages. */
    String describe() {
        StringBuilder text = new StringBuilder();
        int i = 0;
        for (Connection connection : connections) {
            text.append("[connection ").append(i++).append("]");
            for (HttpWire.Message request : connection.requests) {
                text.append("\n  request: ").append(escape(request.rawText()));
            }
            byte[] unparsed = connection.unparsed();
            if (connection.error != null) {
                text.append("\n  unparsable (").append(connection.error).append("), then: ")
                        .append(escape(new String(unparsed, StandardCharsets.ISO_8859_1)));
            }
            text.append('\n');
        }
        return text.length() == 0 ? "nothing" : text.toString();
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '\r') {
                escaped.append("\\r");
            } else if (c == '\n') {
                escaped.append("\\n");
            } else if (c == '\t') {
                escaped.append("\\t");
            } else if (c < 0x20 || c >= 0x7f) {
                escaped.append(String.format("\\x%02x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    /** Closes the listening socket and every connection accepted: the server is gone, as if killed. */
    @Override
    public void close() throws IOException {
        server.close();
        for (Connection connection : connections) {
            connection.socket.close();
        }
    }
}
