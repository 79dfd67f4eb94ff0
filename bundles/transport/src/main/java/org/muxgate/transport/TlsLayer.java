package org.muxgate.transport;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS between a connection's socket and its mux, on the JDK's {@link SSLEngine}
 * (HAProxy's ssl_sock transport layer). The connection drives the handshake with
 * {@link #handshake} before any mux reads or writes; then {@link #read} and
 * {@link #write} carry the mux's bytes.
 *
 * <p>Writes follow OpenSSL's contract with partial writes and moving buffers, as
 * HAProxy uses it: {@link #write} reports only bytes whose records reached the
 * socket whole. A record the socket took in part stays here, its bytes reported
 * unwritten, and the caller offers the same bytes again at the head of its next
 * write, which skips them once the rest of the record has left. So a mux that
 * saw all its bytes written may close at once: nothing waits here.
 *
 * <p>Reads fill {@link #netIn} with what the socket has, then unwrap record by
 * record. Records left over when the caller's buffer is full do not show as
 * socket readiness: {@link #hasBufferedInput()} tells the connection to wake a
 * reader at once.
 *
 * <p>Renegotiation (TLS 1.2) is refused, as HAProxy does; TLS 1.3 key updates and
 * session tickets after the handshake are handled.
 *
 * <p>Threads: the connection's thread only, as {@link SSLEngine} requires.
 */
final class TlsLayer implements TransportLayer {

    /** What the handshake waits for next. */
    enum Step { DONE, READ, WRITE }

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final SSLEngine engine;
    /** Ciphertext read and not yet unwrapped, from position to limit. */
    private ByteBuffer netIn;
    /** Ciphertext wrapped and not yet written, from position to limit. */
    private ByteBuffer netOut;
    /** Plaintext unwrapped for a caller whose buffer had too little room, from position to limit; lazily made. */
    private ByteBuffer appIn;
    /** The plaintext bytes of the record partly written, which the caller offers again. */
    private int heldBack;
    /** {@link #netIn} holds no whole record: nothing to unwrap before the socket gives more. */
    private boolean needsNetData = true;
    private boolean handshaking = true;
    private boolean started;
    /** The peer's close_notify came, or its end of stream: reads return -1. */
    private boolean inboundDone;

    TlsLayer(SSLEngine engine) {
        this.engine = engine;
        int packetSize = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packetSize).flip();
        this.netOut = ByteBuffer.allocate(packetSize).flip();
    }


    boolean isHandshaking() {
        return handshaking;
    }

    /**
     * Advances the handshake as far as the socket allows, running the engine's
     * delegated tasks inline (the connection's tasklet is a heavy one meanwhile).
     *
     * @return DONE, or what the socket must become ready for
     * @throws IOException when the handshake fails or the peer leaves
     */
    Step handshake(SocketChannel channel) throws IOException {
        if (!started) {
            started = true;
            engine.beginHandshake();
        }
        for (;;) {
            if (!flush(channel)) {
                return Step.WRITE;
            }
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> wrap(NOTHING);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (needsNetData) {
                        int n = fill(channel);
                        if (n < 0) {
                            throw new EOFException("the peer closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            return Step.READ;
                        }
                    }
                    if (unwrap(appIn()) == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the peer closed TLS during its handshake");
                    }
                }
                case NEED_TASK -> runDelegatedTasks();
                default -> {
                    handshaking = false;
                    return Step.DONE;
                }
            }
        }
    }

    /** @return the protocol ALPN chose, or null */
    String applicationProtocol() {
        String protocol = engine.getApplicationProtocol();
        return protocol == null || protocol.isEmpty() ? null : protocol;
    }

    @Override
    public int read(SocketChannel channel, ByteBuffer into) throws IOException {
        int start = into.position();
        while (into.hasRemaining()) {
            if (appIn != null && appIn.hasRemaining()) {
                move(appIn, into);
                continue;
            }
            if (inboundDone) {
                break;
            }
            if (needsNetData) {
                int n = fill(channel);
                if (n < 0) {
                    endOfStream();
                    break;
                }
                if (n == 0) {
                    break;
                }
            }
            // Straight into the caller's buffer when a whole record fits there.
            boolean direct = into.remaining() >= engine.getSession().getApplicationBufferSize();
            if (unwrap(direct ? into : appIn()) == SSLEngineResult.Status.CLOSED) {
                inboundDone = true;
            }
            afterHandshake(channel);
        }
        int n = into.position() - start;
        return n == 0 && inboundDone ? -1 : n;
    }

    @Override
    public int write(SocketChannel channel, ByteBuffer from) throws IOException {
        int written = 0;
        if (netOut.hasRemaining()) {
            if (!flush(channel)) {
                return 0;
            }
            if (heldBack > 0) {
                if (from.remaining() < heldBack) {
                    throw new IOException("TLS: the bytes of a partly written record were not offered again");
                }
                from.position(from.position() + heldBack);
                written = heldBack;
                heldBack = 0;
            }
        }
        while (from.hasRemaining()) {
            int before = from.position();
            if (wrap(from) == SSLEngineResult.Status.CLOSED) {
                throw new IOException("TLS: the connection's sending side is closed");
            }
            int consumed = from.position() - before;
            if (!flush(channel)) {
                heldBack = consumed;
                from.position(before);
                break;
            }
            written += consumed;
        }
        return written;
    }

    /** Wraps the buffers one after the other: TLS records never span two of them anyway. */
    @Override
    public long write(SocketChannel channel, ByteBuffer[] from) throws IOException {
        long written = 0;
        for (ByteBuffer buffer : from) {
            written += write(channel, buffer);
            if (buffer.hasRemaining()) {
                break;
            }
        }
        return written;
    }

    /** Sends close_notify if the socket takes it now, then shuts the socket's sending side. */
    @Override
    public void shutdownWrite(SocketChannel channel) throws IOException {
        sendCloseNotify(channel);
        channel.shutdownOutput();
    }

    /** Sends close_notify before the socket closes, unless that would wait: HAProxy does not wait either. */
    @Override
    public void closing(SocketChannel channel) {
        try {
            sendCloseNotify(channel);
        } catch (IOException e) {
            // The socket is closing anyway.
        }
    }

    @Override
    public boolean hasBufferedInput() {
        return (appIn != null && appIn.hasRemaining()) || (!needsNetData && netIn.hasRemaining());
    }

    private void sendCloseNotify(SocketChannel channel) throws IOException {
        if (handshaking || engine.isOutboundDone() || netOut.hasRemaining()) {
            return;
        }
        engine.closeOutbound();
        wrap(NOTHING);
        flush(channel);
    }

    /**
     * What the engine asks after the handshake: tasks, and wraps (a key update, the
     * reply to close_notify). A TLS 1.2 handshake starting again is renegotiation.
     */
    private void afterHandshake(SocketChannel channel) throws IOException {
        HandshakeStatus status = engine.getHandshakeStatus();
        while (status == HandshakeStatus.NEED_TASK || status == HandshakeStatus.NEED_WRAP) {
            if ("TLSv1.2".equals(engine.getSession().getProtocol())) {
                throw new SSLException("TLS renegotiation is refused");
            }
            if (status == HandshakeStatus.NEED_TASK) {
                runDelegatedTasks();
            } else if (netOut.hasRemaining() || engine.isOutboundDone()) {
                // The next write sends it, after the record under way.
                return;
            } else {
                wrap(NOTHING);
                flush(channel);
            }
            status = engine.getHandshakeStatus();
        }
    }

    /** The socket's end of stream: without close_notify it is a truncation, which many peers do; no error. */
    private void endOfStream() {
        inboundDone = true;
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // The peer closed without close_notify.
        }
    }

    /** Reads what the socket has into {@link #netIn}: @return the bytes read, or -1 at end of stream. */
    private int fill(SocketChannel channel) throws IOException {
        netIn.compact();
        if (!netIn.hasRemaining()) {
            // A record larger than the buffer: the engine says how large a packet may be.
            ByteBuffer larger = ByteBuffer.allocate(Math.max(netIn.capacity() * 2,
                    engine.getSession().getPacketBufferSize()));
            netIn = larger.put(netIn.flip());
        }
        int n;
        try {
            n = channel.read(netIn);
        } finally {
            netIn.flip();
        }
        if (n > 0) {
            needsNetData = false;
        }
        return n;
    }

    /** Unwraps one record of {@link #netIn} into {@code into}: the caller's buffer, or {@link #appIn()}. */
    private SSLEngineResult.Status unwrap(ByteBuffer into) throws SSLException {
        boolean own = into == appIn;
        SSLEngineResult result = engine.unwrap(netIn, into);
        switch (result.getStatus()) {
            case BUFFER_UNDERFLOW -> needsNetData = true;
            case BUFFER_OVERFLOW -> {
                if (own) {
                    appIn = ByteBuffer.allocate(appIn.capacity() + engine.getSession().getApplicationBufferSize())
                            .put(appIn.flip());
                }
            }
            default -> needsNetData = !netIn.hasRemaining();
        }
        if (own) {
            appIn.flip();
        }
        return result.getStatus();
    }

    /** {@link #appIn}, made if need be, ready to take more plaintext after its unread bytes. */
    private ByteBuffer appIn() {
        if (appIn == null) {
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        } else {
            appIn.compact();
        }
        return appIn;
    }

    /** Wraps {@code from} into the empty {@link #netOut}. */
    private SSLEngineResult.Status wrap(ByteBuffer from) throws SSLException {
        for (;;) {
            netOut.clear();
            SSLEngineResult result = engine.wrap(from, netOut);
            netOut.flip();
            if (result.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return result.getStatus();
            }
            netOut = ByteBuffer.allocate(Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize()));
        }
    }

    /** @return whether {@link #netOut} is empty now */
    private boolean flush(SocketChannel channel) throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static void move(ByteBuffer from, ByteBuffer into) {
        int n = Math.min(from.remaining(), into.remaining());
        int limit = from.limit();
        from.limit(from.position() + n);
        into.put(from);
        from.limit(limit);
    }
}
