package org.muxgate.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * How a connection's bytes reach its socket (HAProxy's xprt): {@link #RAW}, or
 * {@link TlsLayer}. Called on the connection's thread only.
 */
interface TransportLayer {

    /** @return bytes read, 0 if none is available, -1 at end of stream */
    int read(SocketChannel channel, ByteBuffer into) throws IOException;

    /** @return bytes written, 0 when the socket is full */
    int write(SocketChannel channel, ByteBuffer from) throws IOException;

    /** Writes the buffers in order, as {@link #write(SocketChannel, ByteBuffer)} would write them joined. */
    long write(SocketChannel channel, ByteBuffer[] from) throws IOException;

    /** Ends our sending direction after the data already written. */
    void shutdownWrite(SocketChannel channel) throws IOException;

    /** The socket is about to close after no error: a last word to the peer, if it goes without waiting. */
    void closing(SocketChannel channel);

    /**
     * @return whether input read from the socket waits here for a reader: no socket
     *         readiness will announce it
     */
    boolean hasBufferedInput();

    /** Plain TCP: the socket's own calls. */
    TransportLayer RAW = new TransportLayer() {
        @Override
        public int read(SocketChannel channel, ByteBuffer into) throws IOException {
            return channel.read(into);
        }

        @Override
        public int write(SocketChannel channel, ByteBuffer from) throws IOException {
            return channel.write(from);
        }

        @Override
        public long write(SocketChannel channel, ByteBuffer[] from) throws IOException {
            return channel.write(from);
        }

        @Override
        public void shutdownWrite(SocketChannel channel) throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public void closing(SocketChannel channel) {
        }

        @Override
        public boolean hasBufferedInput() {
            return false;
        }
    };
}
