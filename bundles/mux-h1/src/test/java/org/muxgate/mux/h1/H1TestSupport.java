package org.muxgate.mux.h1;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.After;
import org.muxgate.api.http.HttpSettings;
import org.muxgate.api.scheduler.TaskState;
import org.muxgate.scheduler.core.TaskScheduler;
import org.muxgate.transport.MuxRegistry;
import org.muxgate.transport.SelectorPollers;
import org.muxgate.transport.Transport;

/**
 * Real sockets on 127.0.0.1 with the real scheduler and transport, one worker
 * thread, and the h1 mux registered. Waits are bounded by a generous timeout and
 * never measure time.
 */
abstract class H1TestSupport {

    static final int TIMEOUT_MS = 20_000;
    static final int BUFSIZE = 16384;

    protected TaskScheduler scheduler;
    protected final MuxRegistry registry = new MuxRegistry();
    protected Transport transport;
    private final List<Socket> sockets = new ArrayList<>();

    protected void start() {
        scheduler = new TaskScheduler("h1", 1, TaskScheduler.DEFAULT_RUNQUEUE_DEPTH, false, new SelectorPollers());
        scheduler.start();
        registry.register(new H1MuxProto(scheduler));
        transport = new Transport(scheduler, registry, BUFSIZE, 0);
    }

    @After
    public void stopAll() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (transport != null) {
            transport.stop();
        }
        if (scheduler != null) {
            scheduler.stop();
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    protected Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(address, TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    protected Socket track(Socket socket) throws IOException {
        sockets.add(socket);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    /** Runs {@code action} on the worker thread and returns its result. */
    protected <T> T onWorker(Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.newTasklet(0, (task, context, state) -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
            return null;
        }, null).wakeup(TaskState.WOKEN_INIT);
        return result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads one response with a content length (or none, for bodyless ones): head and body as text. */
    static String readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    /** Reads up to and including the empty line ending a head. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            assertTrue("the connection ended within a head: " + head, b >= 0);
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads until the peer closes. */
    static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Settings with fixed timeouts and a one-line error page per status. */
    static final class Settings implements HttpSettings {
        final long requestTimeout;
        final long keepAliveTimeout;

        Settings(long requestTimeout, long keepAliveTimeout) {
            this.requestTimeout = requestTimeout;
            this.keepAliveTimeout = keepAliveTimeout;
        }

        @Override
        public int maxHeaders() {
            return 101;
        }

        @Override
        public long requestTimeout() {
            return requestTimeout;
        }

        @Override
        public long keepAliveTimeout() {
            return keepAliveTimeout;
        }

        @Override
        public long clientTimeout() {
            return TIMEOUT_MS;
        }

        @Override
        public byte[] errorPage(int status) {
            return ascii(page(status));
        }

        static String page(int status) {
            return "HTTP/1.1 " + status + " Error\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
        }
    }

    static ByteBuffer buffer() {
        return ByteBuffer.allocate(BUFSIZE);
    }
}
