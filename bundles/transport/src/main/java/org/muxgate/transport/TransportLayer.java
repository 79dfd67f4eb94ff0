package org.muxgate.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * How a connection's bytes reach its socket (HAProxy's xprt): {@link #RAW} now, TLS
 * later, behind the same three calls. Called on the connection's thread only.
 */
interface TransportLayer {

    /** @return bytes read, 0 if none is available, -1 at end of stream */
    int read(SocketChannel channel, ByteBuffer into) throws IOException;

    /** @return bytes written, 0 when the socket is full */
    int write(SocketChannel channel, ByteBuffer from) throws IOException;

    /** Ends our sending direction after the data already written. */
    void shutdownWrite(SocketChannel channel) throws IOException;

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
        public void shutdownWrite(SocketChannel channel) throws IOException {
            channel.shutdownOutput();
        }
    };
}
